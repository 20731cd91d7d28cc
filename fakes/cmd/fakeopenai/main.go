// Command fakeopenai serves a fake OpenAI-compatible chat API, scripted by
// a scenario file or echoing, for tests of OpenAI clients such as
// sub-agent. Run "fakeopenai -help" to learn it.
package main

import (
	"os"

	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

func main() { os.Exit(fakeopenai.Main()) }
