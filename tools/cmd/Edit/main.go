// Command Edit is an MCP server with one tool, Edit, which replaces exact
// text in files. Run "Edit -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/edit"
)

func main() { os.Exit(edit.Main()) }
