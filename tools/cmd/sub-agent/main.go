// Command sub-agent is an MCP server that sends chat completions to any
// OpenAI-compatible endpoint, now or as tracked background jobs. Run
// "sub-agent -help" for its flags and environment.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/subagent"
)

func main() { os.Exit(subagent.Main()) }
