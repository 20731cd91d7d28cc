// Command dispatch_agent is an MCP server whose one tool runs a read-only
// research agent (View, GlobTool, GrepTool, LS) on the host's Gemini
// model. Run "dispatch_agent -help" for its flags and environment.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/dispatchagent"
)

func main() { os.Exit(dispatchagent.Main()) }
