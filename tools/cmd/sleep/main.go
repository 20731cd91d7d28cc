// Command sleep is an MCP server with one tool, sleep, which waits a number
// of seconds while reporting progress. Run "sleep -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/sleep"
)

func main() { os.Exit(sleep.Main()) }
