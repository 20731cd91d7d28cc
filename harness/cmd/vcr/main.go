// Command vcr serves a recorded cassette over HTTP as a stand-in model
// service, so a program can be replayed against it. Run "vcr -help".
package main

import (
	"os"

	"github.com/owulveryck/gomcptest/harness/vcr"
)

func main() { os.Exit(vcr.Main()) }
