// Command mcptest drives an MCP server from the command line: it lists the
// server's tools and calls them, over stdio or streamable HTTP. Run
// "mcptest help" to learn it.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/harness/mcptest"
)

func main() { os.Exit(mcptest.Main()) }
