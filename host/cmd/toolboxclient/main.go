// Command toolboxclient lists and calls the tools of one MCP server through
// the host's MCP client; see package toolboxclient.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/host/toolboxclient"
)

func main() { os.Exit(toolboxclient.Main()) }
