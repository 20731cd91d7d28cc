// Command openaiserver serves an OpenAI-compatible chat API whose model is
// Gemini and which runs MCP tool servers in an agent loop. Run
// `openaiserver -help` for the flags and environment variables.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/host/openaiserver/app"
)

func main() { os.Exit(app.Main()) }
