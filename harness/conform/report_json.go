package conform

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// SchemaVersion is the version of the JSON form of a [Report], its
// "schemaVersion" member. It grows when a member changes meaning or goes
// away; a member may be added without a new version. REPORT.md
// describes every member.
const SchemaVersion = 1

// The JSON form of a Report, version 1. Every member is always present:
// arrays are empty rather than null, strings empty rather than absent;
// only timing.ping is null, when no ping was answered. Durations are
// milliseconds, with microsecond precision.
type (
	reportJSON struct {
		SchemaVersion int          `json:"schemaVersion"`
		Target        string       `json:"target"`
		Server        serverJSON   `json:"server"`
		Revision      string       `json:"revision"`
		Revisions     []string     `json:"revisions"`
		Complete      bool         `json:"complete"`
		Error         string       `json:"error"`
		Results       []resultJSON `json:"results"`
		Timing        timingJSON   `json:"timing"`
		DurationMs    float64      `json:"durationMs"`
		Stderr        string       `json:"stderr"`
	}
	serverJSON struct {
		Name      string   `json:"name"`
		Version   string   `json:"version"`
		Revisions []string `json:"revisions"`
	}
	resultJSON struct {
		ID         string        `json:"id"`
		Title      string        `json:"title"`
		Level      Level         `json:"level"`
		Spec       string        `json:"spec"`
		Status     Status        `json:"status"`
		Reason     string        `json:"reason"`
		Revisions  []string      `json:"revisions"`
		Findings   []findingJSON `json:"findings"`
		DurationMs float64       `json:"durationMs"`
	}
	findingJSON struct {
		Level     Level    `json:"level"`
		Revisions []string `json:"revisions"`
		Message   string   `json:"message"`
		Evidence  string   `json:"evidence"`
	}
	timingJSON struct {
		StartupMs float64                 `json:"startupMs"`
		Ping      *latencyJSON            `json:"ping"`
		Tools     map[string]*latencyJSON `json:"tools"`
	}
	latencyJSON struct {
		N     int     `json:"n"`
		P50Ms float64 `json:"p50Ms"`
		P99Ms float64 `json:"p99Ms"`
	}
)

// MarshalJSON encodes the report in the form of [SchemaVersion].
func (r Report) MarshalJSON() ([]byte, error) {
	out := reportJSON{
		SchemaVersion: SchemaVersion,
		Target:        r.Target,
		Server:        serverJSON{r.Server.Name, r.Server.Version, nonNil(r.Server.Revisions)},
		Revision:      r.Revision,
		Revisions:     nonNil(r.Revisions),
		Complete:      r.Complete(),
		Error:         r.Error,
		Results:       []resultJSON{},
		Timing:        timingJSON{StartupMs: ms(r.Timing.Startup), Ping: latencyToJSON(r.Timing.Ping), Tools: map[string]*latencyJSON{}},
		DurationMs:    ms(r.Duration),
		Stderr:        r.Stderr,
	}
	for name, l := range r.Timing.Tools {
		out.Timing.Tools[name] = latencyToJSON(l)
	}
	for _, res := range r.Results {
		rj := resultJSON{res.ID, res.Title, res.Level, res.Spec, res.Status, res.Reason, nonNil(res.Revisions), []findingJSON{}, ms(res.Duration)}
		for _, f := range res.Findings {
			rj.Findings = append(rj.Findings, findingJSON{f.Level, nonNil(f.Revisions), f.Message, f.Evidence})
		}
		out.Results = append(out.Results, rj)
	}
	return json.Marshal(out)
}

// UnmarshalJSON decodes a report of version [SchemaVersion].
func (r *Report) UnmarshalJSON(data []byte) error {
	var in reportJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	if in.SchemaVersion != SchemaVersion {
		return fmt.Errorf("report schemaVersion %d: want %d", in.SchemaVersion, SchemaVersion)
	}
	*r = Report{
		Target:    in.Target,
		Server:    Server{in.Server.Name, in.Server.Version, in.Server.Revisions},
		Revision:  in.Revision,
		Revisions: in.Revisions,
		Timing:    Timing{Startup: fromMs(in.Timing.StartupMs), Ping: latencyFromJSON(in.Timing.Ping)},
		Duration:  fromMs(in.DurationMs),
		Error:     in.Error,
		Stderr:    in.Stderr,
	}
	if len(in.Timing.Tools) > 0 {
		r.Timing.Tools = map[string]*Latency{}
		for name, l := range in.Timing.Tools {
			r.Timing.Tools[name] = latencyFromJSON(l)
		}
	}
	for _, rj := range in.Results {
		res := Result{rj.ID, rj.Title, rj.Level, rj.Spec, rj.Status, rj.Reason, rj.Revisions, nil, fromMs(rj.DurationMs)}
		for _, f := range rj.Findings {
			res.Findings = append(res.Findings, Finding(f))
		}
		r.Results = append(r.Results, res)
	}
	return nil
}

func latencyToJSON(l *Latency) *latencyJSON {
	if l == nil {
		return nil
	}
	return &latencyJSON{l.N, ms(l.P50), ms(l.P99)}
}

func latencyFromJSON(l *latencyJSON) *Latency {
	if l == nil {
		return nil
	}
	return &Latency{l.N, fromMs(l.P50Ms), fromMs(l.P99Ms)}
}

// ms is d in milliseconds, rounded to the microsecond.
func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }

func fromMs(v float64) time.Duration { return time.Duration(math.Round(v * float64(time.Millisecond))) }

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
