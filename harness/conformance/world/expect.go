package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// An expectation is the reviewed list of findings of one server, as its
// file expect/<server>.txt holds it:
//
//	# comments, rewritten by -update
//	## defects
//	tools-list-cursor SHOULD warn: tools/list with a garbage cursor got a result, want error -32602
//		spec: 2025-11-25/server/utilities/pagination#error-handling
//		"Invalid cursors SHOULD result in an error with code -32602 (Invalid params)."
//	## known false alarms
//	...
//	## unreviewed
//	...
//
// A line of its own is a finding, "CHECK LEVEL STATUS: MESSAGE"; the lines
// indented by a tab below it are its review, which -update keeps.
type expectation struct {
	entries []entry
}

// An entry is one expected finding and its review.
type entry struct {
	finding
	section string
	notes   []string
}

// A finding is one line of a report, as expectations compare them.
type finding struct {
	check, level, status, message string
}

func (f finding) String() string {
	return fmt.Sprintf("%s %s %s: %s", f.check, f.level, f.status, f.message)
}

// The sections of an expectation file, in order, each with the comment
// that -update writes under it.
const (
	defects    = "defects"
	falseAlarm = "known false alarms"
	unreviewed = "unreviewed"
)

type section struct{ name, intro string }

var sections = []section{
	{defects, "True defects of the server, each with the section of the specification it breaks and the rule's sentence."},
	{falseAlarm, "Findings where the checker is wrong, not the server, each with why. A fix of the checker removes\n" +
		"them from the run, which then fails until they are removed from here too."},
	{unreviewed, "Findings that -update added: move each to defects, with its spec section and sentence, or to known\n" +
		"false alarms, with why. make conformance-world fails while this section lists any."},
}

// parseExpectation parses the expectation file name. Its errors name the
// file and line.
func parseExpectation(name string, data []byte) (*expectation, error) {
	e := &expectation{}
	current := ""
	for i, line := range strings.Split(string(data), "\n") {
		errorf := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", name, i+1, fmt.Sprintf(format, args...))
		}
		switch {
		case strings.HasPrefix(line, "## "):
			current = strings.TrimPrefix(line, "## ")
			if !slices.ContainsFunc(sections, func(s section) bool { return s.name == current }) {
				return nil, errorf("unknown section %q: want defects, known false alarms or unreviewed", current)
			}
		case strings.TrimSpace(line) == "", strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "\t"):
			if len(e.entries) == 0 {
				return nil, errorf("a review line before any finding")
			}
			last := &e.entries[len(e.entries)-1]
			last.notes = append(last.notes, strings.TrimPrefix(line, "\t"))
		case current == "":
			return nil, errorf("a finding before the first section (## defects)")
		default:
			f, ok := parseFinding(line)
			if !ok {
				return nil, errorf("want CHECK LEVEL STATUS: MESSAGE, have %q", line)
			}
			if e.has(f) {
				return nil, errorf("%s is listed twice", f)
			}
			e.entries = append(e.entries, entry{finding: f, section: current})
		}
	}
	return e, nil
}

func parseFinding(line string) (finding, bool) {
	head, message, ok := strings.Cut(line, ": ")
	fields := strings.Fields(head)
	if !ok || len(fields) != 3 {
		return finding{}, false
	}
	return finding{fields[0], fields[1], fields[2], message}, true
}

func (e *expectation) has(f finding) bool {
	return slices.ContainsFunc(e.entries, func(x entry) bool { return x.finding == f })
}

// findings returns the expected findings, in the file's order.
func (e *expectation) findings() []finding {
	var fs []finding
	for _, x := range e.entries {
		fs = append(fs, x.finding)
	}
	return fs
}

// count returns how many entries the section has.
func (e *expectation) count(name string) int {
	n := 0
	for _, x := range e.entries {
		if x.section == name {
			n++
		}
	}
	return n
}

// diff returns the findings expected and not found (missing) and found
// and not expected (extra).
func diff(want, got []finding) (missing, extra []finding) {
	for _, f := range want {
		if !slices.Contains(got, f) {
			missing = append(missing, f)
		}
	}
	for _, f := range got {
		if !slices.Contains(want, f) {
			extra = append(extra, f)
		}
	}
	return missing, extra
}

// rewrite returns the expectation of a run that found got: a finding
// already listed keeps its section and review; a new one is unreviewed,
// with the review of an entry of the same check and message, if the
// level or status changed, to start from.
func (e *expectation) rewrite(got []finding) *expectation {
	next := &expectation{}
	for _, f := range got {
		if next.has(f) {
			continue
		}
		i := slices.IndexFunc(e.entries, func(x entry) bool { return x.finding == f })
		if i >= 0 {
			next.entries = append(next.entries, e.entries[i])
			continue
		}
		x := entry{finding: f, section: unreviewed}
		i = slices.IndexFunc(e.entries, func(x entry) bool { return x.check == f.check && x.message == f.message })
		if i >= 0 {
			old := e.entries[i]
			x.notes = append([]string{fmt.Sprintf("was %s %s, in %s:", old.level, old.status, old.section)}, old.notes...)
		}
		next.entries = append(next.entries, x)
	}
	return next
}

// format returns the file's text: the header's lines as comments, then
// each section with its entries, in the order of e.
func (e *expectation) format(header []string) []byte {
	var b bytes.Buffer
	for _, line := range header {
		fmt.Fprintln(&b, strings.TrimSpace("# "+line))
	}
	for _, s := range sections {
		fmt.Fprintf(&b, "\n## %s\n", s.name)
		for _, line := range strings.Split(s.intro, "\n") {
			fmt.Fprintf(&b, "# %s\n", line)
		}
		for _, x := range e.entries {
			if x.section != s.name {
				continue
			}
			fmt.Fprintf(&b, "\n%s\n", x.finding)
			for _, n := range x.notes {
				fmt.Fprintf(&b, "\t%s\n", n)
			}
		}
	}
	return b.Bytes()
}
