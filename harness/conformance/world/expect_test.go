package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const sample = `# a header, rewritten
## defects

tools-list-cursor SHOULD warn: tools/list with a garbage cursor got a result, want error -32602
	spec: pagination#error-handling
	"Invalid cursors SHOULD result in an error with code -32602 (Invalid params)."

## known false alarms
# why they are wrong

lifecycle-initialize MUST fail: initialize at 2025-11-25: serverInfo needs a name and a version
	why: "version: string"

## unreviewed
`

var (
	cursor  = finding{"tools-list-cursor", "SHOULD", "warn", "tools/list with a garbage cursor got a result, want error -32602"}
	version = finding{"lifecycle-initialize", "MUST", "fail", "initialize at 2025-11-25: serverInfo needs a name and a version"}
)

func TestParseExpectation(t *testing.T) {
	e, err := parseExpectation("x.txt", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []entry{
		{cursor, defects, []string{"spec: pagination#error-handling", `"Invalid cursors SHOULD result in an error with code -32602 (Invalid params)."`}},
		{version, falseAlarm, []string{`why: "version: string"`}},
	}
	if diff := cmp.Diff(want, e.entries, cmp.AllowUnexported(entry{}, finding{})); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if got := e.count(defects); got != 1 {
		t.Errorf("count(defects) = %d, want 1", got)
	}
}

func TestParseExpectationErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"before a section", "# header\ntools-call MUST fail: x\n", "x.txt:2: a finding before the first section"},
		{"unknown section", "## defect\n", `x.txt:1: unknown section "defect"`},
		{"review first", "## defects\n\tspec: x\n", "x.txt:2: a review line before any finding"},
		{"not a finding", "## defects\ntools-call fails\n", `x.txt:2: want CHECK LEVEL STATUS: MESSAGE, have "tools-call fails"`},
		{"twice", "## defects\na MUST fail: x\n## unreviewed\na MUST fail: x\n", "x.txt:4: a MUST fail: x is listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseExpectation("x.txt", []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestRewrite checks what -update does with a file: reviews of findings
// still found stay, lost findings go, new ones await review, and one whose
// level changed starts from its old review.
func TestRewrite(t *testing.T) {
	old, err := parseExpectation("x.txt", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	lower := finding{"lifecycle-initialize", "SHOULD", "warn", version.message}
	fresh := finding{"tools-call", "MUST", "fail", "echo: no answer"}
	next := old.rewrite([]finding{cursor, lower, fresh, fresh})
	want := []entry{
		old.entries[0],
		{lower, unreviewed, []string{"was MUST fail, in known false alarms:", `why: "version: string"`}},
		{fresh, unreviewed, nil},
	}
	if diff := cmp.Diff(want, next.entries, cmp.AllowUnexported(entry{}, finding{})); diff != "" {
		t.Errorf("rewrite (-want +got):\n%s", diff)
	}

	// What format writes, parse reads back.
	text := next.format([]string{"server x", "", "more"})
	if !strings.HasPrefix(string(text), "# server x\n#\n# more\n\n## defects\n") {
		t.Errorf("format starts with\n%s", text)
	}
	back, err := parseExpectation("x.txt", text)
	if err != nil {
		t.Fatalf("%v in\n%s", err, text)
	}
	if diff := cmp.Diff(next.entries, back.entries, cmp.AllowUnexported(entry{}, finding{})); diff != "" {
		t.Errorf("format then parse (-want +got):\n%s", diff)
	}
}

func TestDiff(t *testing.T) {
	a := finding{"a", "MUST", "fail", "x"}
	b := finding{"b", "SHOULD", "warn", "y"}
	c := finding{"c", "MUST", "fail", "z"}
	missing, extra := diff([]finding{a, b}, []finding{b, c})
	if diff := cmp.Diff([]finding{a}, missing, cmp.AllowUnexported(finding{})); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]finding{c}, extra, cmp.AllowUnexported(finding{})); diff != "" {
		t.Errorf("extra (-want +got):\n%s", diff)
	}
}

// TestExpectationFiles parses every committed expectation file, so that a
// hand edit that breaks one fails here, offline, rather than in the world
// run.
func TestExpectationFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("expect", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no expectation files: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		e, err := parseExpectation(f, data)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, x := range e.entries {
			if x.section != unreviewed && len(x.notes) == 0 {
				t.Errorf("%s: %s is in %s without a review", f, x.finding, x.section)
			}
		}
	}
}
