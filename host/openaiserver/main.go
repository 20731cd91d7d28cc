// Command openaiserver serves an OpenAI-compatible chat API whose model is
// Gemini and which runs MCP tool servers in an agent loop. It is
// host/cmd/openaiserver too; this one is here so that, as in the original
// project, it runs from its folder:
//
//	cd host/openaiserver && go run . -withAllEvents -mcpservers "../../bin/sleep;../../bin/LS"
//
// Run `openaiserver -help` for the flags and environment variables.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/host/openaiserver/app"
)

func main() { os.Exit(app.Main()) }
