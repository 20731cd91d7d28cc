// Command everything is the fixture MCP server of the official conformance
// suite: every tool, resource and prompt its server scenarios call. It
// serves stdio, or streamable HTTP with -http ADDR.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/fakes/mcpservers/everything"
)

func main() { os.Exit(everything.Main()) }
