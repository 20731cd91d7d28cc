package transcript_test

import (
	"os"
	"testing"

	"github.com/owulveryck/gomcptest/harness/mcptest"
	"github.com/owulveryck/gomcptest/tools/bash"
	"github.com/owulveryck/gomcptest/tools/edit"
	"github.com/owulveryck/gomcptest/tools/glob"
	"github.com/owulveryck/gomcptest/tools/grep"
	"github.com/owulveryck/gomcptest/tools/ls"
	"github.com/owulveryck/gomcptest/tools/replace"
	"github.com/owulveryck/gomcptest/tools/sleep"
	"github.com/owulveryck/gomcptest/tools/view"
)

// execEnv names the program the test binary runs as when it is started
// as a server by a test: a tool, or mcptest.
const execEnv = "TRANSCRIPT_TEST_EXEC"

// programs are what the test binary can run as, by the names users know.
func programs() map[string]func() int {
	return map[string]func() int{
		"mcptest":  mcptest.Main,
		"sleep":    sleep.Main,
		"LS":       ls.Main,
		"View":     view.Main,
		"GlobTool": glob.Main,
		"GrepTool": grep.Main,
		"Edit":     edit.Main,
		"Replace":  replace.Main,
		"Bash":     bash.Main,
	}
}

func TestMain(m *testing.M) {
	if name := os.Getenv(execEnv); name != "" {
		os.Exit(programs()[name]())
	}
	os.Exit(m.Run())
}

// command returns the environment and command line that run program
// name with args.
func command(name string, args ...string) (env, cmd []string) {
	return []string{execEnv + "=" + name, "TZ=UTC"}, append([]string{os.Args[0]}, args...)
}
