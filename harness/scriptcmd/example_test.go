package scriptcmd_test

import (
	"fmt"
	"os"

	"github.com/owulveryck/gomcptest/harness/scriptcmd"
)

// A script's help line prints the same as Help; with -v (verbose), the
// details of each command too.
func ExampleHelp() {
	if err := scriptcmd.Help(os.Stdout, false, "mcp", "fake"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// mcp start NAME (-- COMMAND [ARGS...] | -url URL)
	// 	start an MCP server, or reach one, and keep a session with it as NAME
	// mcp call [-json] [-timeout D] NAME TOOL [ARGS]
	// 	call TOOL in the session NAME and print its result
	// mcp list NAME
	// 	print the names of the tools of the session NAME, one a line
	// mcp stop NAME
	// 	close the session NAME and stop its server
	// fake start gemini|openai SCENARIO
	// 	serve a scripted fake model on 127.0.0.1 and export its URL
	// fake stop gemini|openai
	// 	stop a fake model and check that its scenario was played as written
}
