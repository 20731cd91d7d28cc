// Package toolbox is the MCP client side of the host: it starts the MCP
// servers the user names, lists their tools, and calls them for the agent
// loop.
//
// # Servers
//
// [ParseSpec] reads the -mcpservers flag: servers separated by ';', each a
// shell-like command line with optional leading K=V environment words and
// bare NAME words (variables passed through from the host), or an http(s)
// URL for a streamable HTTP server:
//
//	-mcpservers "../bin/LS;ROOT=/src ../bin/View -root /src;GEMINI_API_KEY ../bin/imagen;http://localhost:8081/mcp"
//
// [New] starts every server at once (stdio servers as child processes of
// the host) and lists all their tools, following pagination. It fails if
// any server does not come up, naming each one that failed and quoting the
// last lines of its stderr. stdout carries only the protocol.
//
// # Environment
//
// A stdio server does not inherit the host's environment, which holds the
// host's API keys and credentials: a tool that runs commands would show
// them to anyone who asks it to run env. It gets, in this order, later
// entries winning:
//
//   - the host's variables named by [BaseEnv] (PATH, HOME, USER, LOGNAME,
//     SHELL, TERM, TZ, TMPDIR, LANG, LC_*, GOCOVERDIR), when set;
//   - the host's variables named in [Options.PassEnv], passed to every
//     server;
//   - the host's variables named on the server's own line ([ServerSpec.Pass]:
//     "GEMINI_API_KEY bin/imagen" gives that key to imagen alone);
//   - the K=V words of its line ([ServerSpec.Env]).
//
// A name to pass that the host has not set is logged as a warning at start.
//
// A streamable HTTP server gets nothing of the host's environment but, when
// its line names one ("BASH_TOKEN http://127.0.0.1:8081/mcp"), the value
// of that variable as a bearer token on every request; [New] fails when
// the variable is not set.
//
// # Stderr
//
// Each server's stderr is logged line by line at INFO ("server stderr",
// with "server" and "line" attributes), at most a burst of
// [Options.StderrBurst] lines then [Options.StderrRate] lines a second per
// server (100, then 10 a second, by default), so a tool that floods stderr
// cannot flood the host's log. Lines over the limit are counted, and a WARN
// "dropped stderr lines" with their number is logged when logging resumes
// and when the process exits. A start error still quotes the last lines,
// logged or not. Memory stays bounded whatever the server writes.
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
