// Package dispatchagent is the dispatch_agent MCP server: one tool that
// runs a read-only research agent on a question about files, and returns
// its answer with the list of tool calls it made.
//
// The agent is the host's own loop (host/agent) on the host's model
// configuration (host/backend: Vertex AI, the Gemini API or the offline
// model, from the same environment as openaiserver), with the tools View,
// GlobTool, GrepTool and LS. They run in-process from their packages, on
// an in-memory MCP connection, unless Options.Binaries names programs to
// start instead (the -glob-path, -grep-path, -ls-path and -view-path flags
// of the original). Each dispatch gets its own tools, a step limit and a
// timeout. Over stdio, nothing but MCP is written to stdout.
package dispatchagent
