// Command LS is an MCP server with one tool, LS, which lists a directory.
// Run "LS -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/ls"
)

func main() { os.Exit(ls.Main()) }
