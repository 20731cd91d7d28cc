// Command cliGCP is a terminal agent on the host's engine or any
// OpenAI-compatible server; see package cli.
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/host/cli"
)

func main() { os.Exit(cli.Main()) }
