// Package everything is the "everything" fixture MCP server: the tools,
// resources and prompts that the official conformance suite
// (@modelcontextprotocol/conformance on npm) expects of a server under test,
// with exactly the names, contents and behaviour its scenarios assert on.
//
// `make conformance` serves it over streamable HTTP and runs the official
// server suite against it, so a change of go-sdk that breaks the protocol
// shows up there, and mcptest check can be compared with the official
// suite on the same server.
//
// [New] returns the server; [Handler] serves it over streamable HTTP;
// [Main] is the everything command. The fixtures follow the reference
// servers of the suite and of go-sdk (conformance/everything-server, MIT
// licence), limited to the scenarios of the pinned suite version.
package everything
