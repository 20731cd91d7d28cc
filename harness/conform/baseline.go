package conform

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// A Baseline lists the ids of checks known to fail on a server: their
// failures are forgiven, and an entry whose check passes is a problem, so
// that the baseline shrinks as the server is fixed.
type Baseline []string

// ReadBaseline reads a baseline file: a check id a line; # starts a
// comment.
func ReadBaseline(name string) (Baseline, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	return ParseBaseline(string(data)), nil
}

// ParseBaseline parses the text of a baseline file.
func ParseBaseline(text string) Baseline {
	var ids Baseline
	for line := range strings.Lines(text) {
		line, _, _ = strings.Cut(line, "#")
		if id := strings.TrimSpace(line); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// Judge applies b to rep: failed says whether a MUST check failed that b
// does not list; problems are b's entries that name no check or a check
// that passes now.
func (b Baseline) Judge(rep *Report) (failed bool, problems []string) {
	for _, res := range rep.Results {
		if res.Status == Fail && !slices.Contains(b, res.ID) {
			failed = true
		}
	}
	for _, id := range b {
		res := rep.Result(id)
		switch {
		case res == nil:
			problems = append(problems, fmt.Sprintf("no check %q", id))
		case res.Status == Pass:
			problems = append(problems, fmt.Sprintf("%s passes now: remove it from the baseline", id))
		}
	}
	return failed, problems
}
