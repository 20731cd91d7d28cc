// Command Bash is an MCP server with one tool, Bash, which runs commands in
// a persistent shell per session. Run "Bash -help" for its flags.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/tools/bash"
)

func main() { os.Exit(bash.Main()) }
