package scriptcmd

import (
	"regexp"

	"github.com/rogpeppe/go-internal/testscript"
)

// capture sets an environment variable from the last command's stdout:
//
//	capture VAR REGEXP
//
// VAR becomes the first submatch of REGEXP (or the whole match when it has
// no group); no match fails the script. It lets a script feed an id that a
// server made up (a sub-agent task_id) to the next command.
func capture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: capture VAR REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	m := re.FindStringSubmatch(ts.ReadFile("stdout"))
	if m == nil {
		ts.Fatalf("capture %s: no match for %q in stdout", args[0], args[1])
	}
	ts.Setenv(args[0], m[len(m)-1])
}
