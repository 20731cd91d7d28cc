// Command imagen_edit is an MCP server with one tool, imagen_edit, which
// edits images following plain-language instructions. Run
// "imagen_edit -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/imagen"
)

func main() { os.Exit(imagen.EditMain()) }
