// Command plantuml is an MCP server whose tools turn PlantUML code into a
// diagram URL and back. Run "plantuml -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/plantuml"
)

func main() { os.Exit(plantuml.Main()) }
