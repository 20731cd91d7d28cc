package conform

import (
	"time"
)

// A Level says how strongly the specification states a rule.
type Level string

const (
	Must   Level = "MUST"
	Should Level = "SHOULD"
	// Info is a fact worth showing that breaks no rule of the server's:
	// it never fails nor warns.
	Info Level = "INFO"
)

// status is the outcome of a check whose gravest finding has the level.
func (l Level) status() Status {
	switch l {
	case Must:
		return Fail
	case Should:
		return Warn
	}
	return Note
}

// A Status is the outcome of one check.
type Status string

const (
	Pass   Status = "pass"
	Fail   Status = "fail"    // a MUST rule is broken
	Warn   Status = "warn"    // a SHOULD rule is broken
	Note   Status = "note"    // only informative findings, which fail nothing
	Skip   Status = "skip"    // the check does not apply, or was not asked for
	NotRun Status = "not-run" // the run ended before the check could run
)

// graver reports whether s is a worse outcome than t.
func (s Status) graver(t Status) bool {
	rank := map[Status]int{Note: 1, Warn: 2, Fail: 3}
	return rank[s] > rank[t]
}

// A Report is everything one run of [Check] found. Its JSON form is
// versioned ([SchemaVersion]) and described in REPORT.md.
type Report struct {
	Target string
	Server Server
	// Revision is the revision of the main session: the one asked for, or
	// the newest the server claims.
	Revision string
	// Revisions are the revisions the main session ran at, newest first:
	// every one the server claims, or the one asked for.
	Revisions []string
	Results   []Result
	Timing    Timing
	Duration  time.Duration
	// Error says why the run ended early (the target could not be run,
	// the time ran out, the server exited); the checks it kept from
	// running are NotRun. Empty when the run completed.
	Error string
	// Stderr is the end of the stderr of a command target (at most
	// 64 KiB and 200 lines), kept when the server failed to start,
	// exited during the run or failed a check.
	Stderr string
}

// Server is what the server says about itself.
type Server struct {
	Name      string
	Version   string
	Revisions []string // the revisions it claims: it echoed them when asked for them
}

// A Result is the outcome of one check, over every revision it ran at.
type Result struct {
	ID     string
	Title  string
	Level  Level
	Spec   string
	Status Status // the worst over its revisions
	// Reason says why it was skipped or not run.
	Reason string
	// Revisions are the revisions it ran at; a check that judges the
	// server as a whole runs once, at the main revision.
	Revisions []string
	Findings  []Finding
	Duration  time.Duration
}

// A Finding is one broken rule, with the message that broke it. Its
// level is the check's, or lower when the check found a lesser fault
// (a wrong error code where an error is a MUST and its code a SHOULD).
type Finding struct {
	Level Level
	// Revisions are those of the sessions it was found on: the same
	// finding at several revisions is one Finding.
	Revisions []string
	Message   string
	Evidence  string
}

// Timing is reported, never judged.
type Timing struct {
	// Startup is from starting the command (or the first request to a
	// URL) to the answer to initialize.
	Startup time.Duration
	Ping    *Latency
	// Tools holds the latency of each tool called with valid arguments.
	Tools map[string]*Latency
}

// Latency summarizes N samples of one exchange.
type Latency struct {
	N   int
	P50 time.Duration
	P99 time.Duration
}

// Failed reports whether a MUST check failed.
func (r *Report) Failed() bool {
	for _, res := range r.Results {
		if res.Status == Fail {
			return true
		}
	}
	return false
}

// Complete reports whether every check ran (or was skipped on purpose).
func (r *Report) Complete() bool { return r.Error == "" }

// Count returns how many results have the status.
func (r *Report) Count(s Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == s {
			n++
		}
	}
	return n
}

// Result returns the result of the check with this id, or nil.
func (r *Report) Result(id string) *Result {
	for i := range r.Results {
		if r.Results[i].ID == id {
			return &r.Results[i]
		}
	}
	return nil
}
