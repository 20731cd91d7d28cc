// Package toolbox is the MCP client side of the host: it starts the MCP
// servers the user names, lists their tools, and calls them for the agent
// loop.
//
// # Servers
//
// [ParseSpec] reads the -mcpservers flag: servers separated by ';', each a
// shell-like command line with optional leading K=V environment words, or
// an http(s) URL for a streamable HTTP server:
//
//	-mcpservers "../bin/LS;ROOT=/src ../bin/View -root /src;http://localhost:8081/mcp"
//
// [New] starts every server at once (stdio servers as child processes of
// the host) and lists all their tools, following pagination. It fails if
// any server does not come up, naming each one that failed and quoting the
// last lines of its stderr. Each server's stderr is logged line by line with
// a "server" attribute; stdout carries only the protocol.
//
// # Names
//
// A server is named after its command's base name or its URL's host. A
// tool keeps its own name unless several servers offer it; then each copy is
// prefixed with its server's name ("Bash_run", "sandbox_run"). Names are
// made to match ^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$, which both OpenAI and Gemini
// accept, and depend only on the servers and their tools, so they are the
// same from one run to the next. [Tool.Original] keeps the name the server
// knows.
//
// # Calls
//
// [Toolbox.Call] runs one tool under a per-call timeout; cancelling its
// context cancels the call on the server too. A tool that fails gives a
// result with IsError set; Call's error is for calls that did not complete.
// A server that dies (during a call or between calls) is restarted, in the
// background or by the next call, so one crash costs one failed call.
//
// A Toolbox is safe for concurrent use, and calls to one server run
// concurrently. [Toolbox.Close] stops every server.
package toolbox
