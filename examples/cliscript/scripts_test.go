package cliscript_test

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/owulveryck/gomcptest/examples/cliscript"
	"github.com/owulveryck/gomcptest/harness/scriptcmd"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"greeter": func() { exitWith(cliscript.Greeter()) },
		"ask":     func() { exitWith(cliscript.Ask()) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:   "testdata",
		Cmds:  scriptcmd.Commands(),
		Setup: scriptcmd.Setup,
	})
}
