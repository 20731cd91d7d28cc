// Command Replace is an MCP server with one tool, Replace, which writes
// whole files. Run "Replace -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/replace"
)

func main() { os.Exit(replace.Main()) }
