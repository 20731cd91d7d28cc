// Package conform checks that an MCP server follows the protocol.
//
// [Check] drives a server, a command over stdio or a streamable HTTP URL
// (a [target.Target]), through a list of checks and returns a [Report]
// with every finding; it never stops at the first. Each check has an id
// ("tools-unknown"), a title, the revisions it applies to, a level (MUST,
// SHOULD or INFO: a broken MUST rule fails the check, a broken SHOULD
// rule warns, an INFO finding is a note) and the section of the
// specification it enforces. A finding quotes the message that broke the
// rule.
//
// The checker speaks raw JSON-RPC (session.go, over stdio.go or http.go)
// rather than through an SDK client, since a client hides exactly what the
// checks must see: ids, stray answers, non-JSON output, batches, status
// codes. Every exchange has a deadline ([Options.Timeout]), over HTTP too
// (a POST held open, an SSE stream that sends nothing, are cut at it), so
// a server that hangs costs time but cannot hang the run.
//
// The run begins with a handshake at every revision the checker knows,
// each on a connection of its own, all at once. The revisions the server
// echoes are the ones it claims, and each of their sessions is a main
// session: the checks that use the main session run at every revision the
// server claims, newest first (or only at [Options.Revision]), and a
// finding names the revisions it was found at. Checks that judge the
// server as a whole, or that may break a connection (malformed JSON), run
// once, at the main revision, on connections of their own.
//
// A probe that waits to see that no answer comes (to a notification, to
// malformed JSON, to a cancelled call) ends on the server's answer to a
// ping sent after it, not on a fixed delay; since answers may come in any
// order, what has not come by then is judged at the end of the run, once
// every connection is closed and all it carried is in.
//
// [Check] returns the report, complete or not. A run that ends
// early (the target cannot be run, a main session's server exits, ctx
// ends) returns the report so far with the error; the checks it kept
// from running are [NotRun], with the reason. The report keeps the end of
// a command's stderr when the server failed. Its JSON form is versioned
// ([SchemaVersion]) and described in REPORT.md.
//
// The checker declares no client capability unless [Options.ClientCaps]
// names some; it answers the server's sampling, elicitation and roots
// requests for those with canned, valid answers, and a request for one it
// did not declare is a finding. Every session keeps a transcript of the
// messages both ways, so that the last checks judge the whole run: the
// shape of every message, progress tokens, log messages, requests before
// notifications/initialized.
//
// Tools are called, with arguments generated from their input schema or
// with arguments it rejects, only when the user allows it
// ([Options.CallTools], [Options.AllowTools]): calling Bash with made-up
// arguments on someone's machine is not acceptable, and a server that
// does not validate its input would run a tool with invalid ones too.
// Without permission, tools are judged from tools/list, and an unknown
// tool's name is the only one called.
//
// Each check has the level the specification gives its rule: MUST,
// SHOULD, or INFO for what breaks no rule of the server's (a client's
// SHOULD NOT, a behaviour no rule asks for) but is worth showing. A check
// whose rule is a MUST may find a lesser fault, such as a wrong error
// code where only the error is required; that finding has its own level.
// A broken MUST fails the check, a SHOULD warns, an INFO finding is a
// note, which fails nothing.
//
// Contributors: CONTRIBUTING.md, beside this file, says how to add a check.
package conform
