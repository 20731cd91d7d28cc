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
	Pass Status = "pass"
	Fail Status = "fail" // a MUST rule is broken
	Warn Status = "warn" // a SHOULD rule is broken
	Note Status = "note" // only informative findings, which fail nothing
	Skip Status = "skip" // the check does not apply, or was not asked for
)

// graver reports whether s is a worse outcome than t.
func (s Status) graver(t Status) bool {
	rank := map[Status]int{Note: 1, Warn: 2, Fail: 3}
	return rank[s] > rank[t]
}

// A Report is everything one run of [Check] found.
type Report struct {
	Target   string        `json:"target"`
	Server   Server        `json:"server"`
	Revision string        `json:"revision"` // the revision of the main session
	Results  []Result      `json:"results"`
	Timing   Timing        `json:"timing"`
	Duration time.Duration `json:"duration"`
}

// Server is what the server says about itself.
type Server struct {
	Name      string   `json:"name"`
	Version   string   `json:"version"`
	Revisions []string `json:"revisions"` // the revisions it accepted
}

// A Result is the outcome of one check.
type Result struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Level    Level         `json:"level"`
	Spec     string        `json:"spec"`
	Status   Status        `json:"status"`
	Reason   string        `json:"reason,omitempty"` // why it was skipped
	Findings []Finding     `json:"findings,omitempty"`
	Duration time.Duration `json:"duration"`
}

// A Finding is one broken rule, with the message that broke it. Its
// level is the check's, or lower when the check found a lesser fault
// (a wrong error code where an error is a MUST and its code a SHOULD).
type Finding struct {
	Level    Level  `json:"level"`
	Message  string `json:"message"`
	Evidence string `json:"evidence,omitempty"`
}

// Timing is reported, never judged.
type Timing struct {
	// Startup is from starting the command (or the first request to a
	// URL) to the answer to initialize.
	Startup time.Duration `json:"startup"`
	Ping    *Latency      `json:"ping,omitempty"`
	// Tools holds the latency of each tool called with valid arguments.
	Tools map[string]*Latency `json:"tools,omitempty"`
}

// Latency summarizes N samples of one exchange.
type Latency struct {
	N   int           `json:"n"`
	P50 time.Duration `json:"p50"`
	P99 time.Duration `json:"p99"`
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
