// Command GrepTool is an MCP server with one tool, GrepTool, which searches
// file contents with a regular expression. Run "GrepTool -help" for its
// flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/grep"
)

func main() { os.Exit(grep.Main()) }
