// Package toolboxclient is the toolboxclient command: the host's MCP client
// ([toolbox]) as a small CLI, so that clients' test suites (the official
// conformance suite's client scenarios) can drive exactly the code the host
// uses to reach its tool servers.
//
//	toolboxclient [-call NAME [-args JSON]] [-timeout D] [-v] SERVER
//
// SERVER, the last argument, is a streamable HTTP URL or a server in the
// host's -mcpservers syntax. toolboxclient connects (initialize, then
// tools/list with pagination), prints each tool as "name<TAB>description",
// and with -call calls one tool and prints its content, one item per line.
// Logs (with -v, the server's stderr too) go to stderr.
// It exits 0 on success, 1 when the server cannot be reached or the call
// fails (a result with isError included), 2 on bad usage.
package toolboxclient
