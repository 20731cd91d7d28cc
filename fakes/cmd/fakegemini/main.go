// Command fakegemini serves a fake Vertex AI and Gemini API endpoint on
// which the real google.golang.org/genai client runs unchanged: scripted by
// a scenario file, or answering with the built-in offline model. Run
// "fakegemini -help" to learn it.
package main

import (
	"os"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
)

func main() { os.Exit(fakegemini.Main()) }
