package scriptcmd

import (
	"regexp"

	"github.com/rogpeppe/go-internal/testscript"
)

func captureCmd() command {
	return command{
		name:    "capture",
		args:    "VAR REGEXP",
		summary: "set VAR from the last command's stdout",
		detail: []string{
			"VAR becomes the first submatch of REGEXP, or the whole match when it has no group; no match fails the script. It feeds an id that a server made up (a job's id) to the next command.",
		},
		run: capture,
	}
}

func capture(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "capture")
	if len(args) != 2 {
		fatalUsage(ts, "capture")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	m := re.FindStringSubmatch(ts.ReadFile("stdout"))
	if m == nil {
		ts.Fatalf("capture %s: no match for %q in stdout", args[0], args[1])
	}
	setenv(ts, args[0], m[len(m)-1])
}
