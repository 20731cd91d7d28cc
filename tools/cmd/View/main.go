// Command View is an MCP server with one tool, View, which reads files with
// numbered lines and shows images. Run "View -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/view"
)

func main() { os.Exit(view.Main()) }
