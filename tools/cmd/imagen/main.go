// Command imagen is an MCP server with one tool, imagen, which generates
// images from a prompt. Run "imagen -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/imagen"
)

func main() { os.Exit(imagen.Main()) }
