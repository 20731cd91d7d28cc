// Command GlobTool is an MCP server with one tool, GlobTool, which finds
// files whose paths match a glob pattern. Run "GlobTool -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/glob"
)

func main() { os.Exit(glob.Main()) }
