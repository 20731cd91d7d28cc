// Package scriptcmd holds the commands that gomcptest's testscripts use
// besides the binaries under test: picking and waiting for ports, and
// talking to an OpenAI-compatible server while checking the wire rules its
// clients depend on.
//
// Commands returns them all, for testscript.Params.Cmds.
package scriptcmd

import (
	"github.com/rogpeppe/go-internal/testscript"
)

// Commands returns every command by name:
//
//	freeport VAR...                 set each VAR to a free TCP port on 127.0.0.1
//	waitport [-timeout D] PORT      wait until 127.0.0.1:PORT accepts connections
//	chat [flags] URL BODY           post a chat completion and summarise the answer
//	get [-status N] URL             fetch URL and print the body
//	capture VAR REGEXP              set VAR from the last command's stdout
//
// See each command's doc comment for its flags and output.
func Commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"freeport": freeport,
		"waitport": waitport,
		"chat":     chat,
		"get":      get,
		"capture":  capture,
	}
}
