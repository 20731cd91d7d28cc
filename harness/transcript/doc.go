// Package transcript records MCP sessions and plays them back.
//
// A transcript is a txtar file. Its comment is a header: free text, then
// the fields "server:" (the command line the session ran against),
// "protocol:" (the negotiated MCP revision), "date:" (YYYY-MM-DD) and
// "vars:" (the placeholders, below). Each section is one JSON-RPC
// message, in the order it was sent, named by its number, side, kind and
// method, the method of a response being that of its request:
//
//	-- 001 client request initialize --
//	-- 002 server response initialize --
//	-- 003 client notification notifications/initialized --
//	-- 004 client request tools/call --
//	-- 005 server response tools/call --
//
// Values that differ between runs, such as the temporary directory a
// session worked in, are written as ${NAME} placeholders ([Transcript.Abstract])
// and given back when the transcript is used ([Transcript.Expand]).
//
// Three things use a transcript:
//
//   - [NewRecorder] wraps a client's transport and keeps the messages it
//     carries, so a transcript holds what was really sent;
//   - [NewServer] is a fake server answering from a transcript, to test a
//     client (the host's toolbox) without the recorded tool;
//   - [Verify] replays the client side against a live server and reports
//     each response that differs, to catch a change in a tool.
//
// Pin the protocol revision when recording (2025-11-25, whose requests
// carry no per-request metadata) so that recording twice gives the same
// bytes.
package transcript
