// Command plantuml_check is an MCP server with one tool, plantuml_check,
// which validates PlantUML files. Run "plantuml_check -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/plantuml"
)

func main() { os.Exit(plantuml.CheckMain()) }
