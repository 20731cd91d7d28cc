// Command mcpzoo serves one MCP server of the zoo in fakes/mcpservers:
// correct, or broken in one known way.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/fakes/mcpservers"
)

func main() { os.Exit(mcpservers.Main()) }
