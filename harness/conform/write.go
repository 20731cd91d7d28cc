package conform

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report for a person at a terminal: a line per
// check, its findings and evidence below it, then the counts, the timing
// and, when kept, the end of the server's stderr.
func WriteText(w io.Writer, rep *Report) error {
	fmt.Fprintf(w, "%s: %s %s, revision %s%s\n", rep.Target, rep.Server.Name, rep.Server.Version, rep.Revision, alsoAt(rep))
	for _, res := range rep.Results {
		fmt.Fprintf(w, "%-4s %-30s %-6s %s\n", res.Status, res.ID, res.Level, res.Title)
		switch {
		case res.Status == NotRun:
			fmt.Fprintf(w, "       not run: %s\n", res.Reason)
		case res.Reason != "" && res.Reason != "not selected":
			fmt.Fprintf(w, "       skipped: %s\n", res.Reason)
		}
		for _, f := range res.Findings {
			if f.Level != res.Level {
				fmt.Fprintf(w, "       (%s) %s%s\n", f.Level, at(rep, f), f.Message)
			} else {
				fmt.Fprintf(w, "       %s%s\n", at(rep, f), f.Message)
			}
			if f.Evidence != "" {
				fmt.Fprintf(w, "         evidence: %s\n", f.Evidence)
			}
		}
	}
	fmt.Fprintf(w, "%s in %v\n", counts(rep), rep.Duration.Round(1e6))
	if rep.Error != "" {
		fmt.Fprintf(w, "incomplete: %s\n", rep.Error)
	}
	if rep.Timing.Startup > 0 {
		writeTiming(w, rep.Timing)
	}
	if rep.Stderr != "" {
		fmt.Fprintln(w, "stderr of the server (its end):")
		for line := range strings.Lines(rep.Stderr) {
			fmt.Fprintf(w, "  | %s", line)
		}
		if !strings.HasSuffix(rep.Stderr, "\n") {
			fmt.Fprintln(w)
		}
	}
	return nil
}

// counts sums up the statuses, naming not-run checks only when some are.
func counts(rep *Report) string {
	s := fmt.Sprintf("%d pass, %d fail, %d warn, %d note, %d skip", rep.Count(Pass), rep.Count(Fail), rep.Count(Warn), rep.Count(Note), rep.Count(Skip))
	if n := rep.Count(NotRun); n > 0 {
		s += fmt.Sprintf(", %d not run", n)
	}
	return s
}

// alsoAt names the other revisions the main session ran at.
func alsoAt(rep *Report) string {
	if len(rep.Revisions) < 2 {
		return ""
	}
	var others []string
	for _, rev := range rep.Revisions {
		if rev != rep.Revision {
			others = append(others, rev)
		}
	}
	return " (also run at " + strings.Join(others, ", ") + ")"
}

// at names the revisions of a finding, when the run had several.
func at(rep *Report, f Finding) string {
	if len(rep.Revisions) < 2 || len(f.Revisions) == 0 {
		return ""
	}
	return "at " + strings.Join(f.Revisions, ", ") + ": "
}

func writeTiming(w io.Writer, t Timing) {
	fmt.Fprintf(w, "timing: startup %v", t.Startup.Round(1e3))
	if t.Ping != nil {
		fmt.Fprintf(w, ", ping p50 %v p99 %v", t.Ping.P50.Round(1e3), t.Ping.P99.Round(1e3))
	}
	fmt.Fprintln(w)
	for name, l := range t.Tools {
		fmt.Fprintf(w, "timing: %s p50 %v p99 %v (%d calls)\n", name, l.P50.Round(1e3), l.P99.Round(1e3), l.N)
	}
}

// WriteJSON writes the report as JSON, in the versioned form REPORT.md
// describes.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteMarkdown writes the report as a Markdown table with the findings
// below it, for a pull request or a CI summary.
func WriteMarkdown(w io.Writer, rep *Report) error {
	fmt.Fprintf(w, "# MCP conformance: %s\n\nServer %s %s, revision %s%s.\n\n", rep.Target, rep.Server.Name, rep.Server.Version, rep.Revision, alsoAt(rep))
	if rep.Error != "" {
		fmt.Fprintf(w, "**Incomplete:** %s\n\n", rep.Error)
	}
	fmt.Fprintln(w, "| Status | Check | Level | Title | Findings |\n|---|---|---|---|---|")
	for _, res := range rep.Results {
		var notes []string
		for _, f := range res.Findings {
			notes = append(notes, at(rep, f)+f.Message)
		}
		if res.Status == Skip || res.Status == NotRun {
			notes = append(notes, res.Reason)
		}
		cell := strings.ReplaceAll(strings.Join(notes, "<br>"), "|", `\|`)
		fmt.Fprintf(w, "| %s | [%s](%s) | %s | %s | %s |\n", res.Status, res.ID, res.Spec, res.Level, res.Title, cell)
	}
	fmt.Fprintf(w, "\n%s.\n", counts(rep))
	if rep.Stderr != "" {
		fence := "```"
		for strings.Contains(rep.Stderr, fence) {
			fence += "`"
		}
		fmt.Fprintf(w, "\nThe end of the server's stderr:\n\n%s\n%s\n%s\n", fence, strings.TrimSuffix(rep.Stderr, "\n"), fence)
	}
	return nil
}

// JUnit XML, as CI systems read it: a test case per check; a MUST
// failure is a failure, a skipped or not-run check is skipped, a warning
// is output. A run that ended early adds a test case "run" in error, and
// the end of the server's stderr is the suite's system-err.
type junitSuite struct {
	XMLName   xml.Name    `xml:"testsuite"`
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      float64     `xml:"time,attr"`
	Cases     []junitCase `xml:"testcase"`
	SystemErr string      `xml:"system-err,omitempty"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      float64       `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML, a test case per check, for
// CI systems that read it.
func WriteJUnit(w io.Writer, rep *Report) error {
	s := junitSuite{Name: "mcp conformance " + rep.Target, Tests: len(rep.Results), Time: rep.Duration.Seconds(), SystemErr: rep.Stderr}
	for _, res := range rep.Results {
		c := junitCase{Name: res.ID, Classname: "conform." + string(res.Level), Time: res.Duration.Seconds()}
		var text []string
		for _, f := range res.Findings {
			text = append(text, at(rep, f)+f.Message+"\n  "+f.Evidence)
		}
		switch res.Status {
		case Fail:
			s.Failures++
			c.Failure = &junitMessage{Message: res.Title, Text: strings.Join(text, "\n")}
		case Skip:
			s.Skipped++
			c.Skipped = &junitMessage{Message: res.Reason}
		case NotRun:
			s.Skipped++
			c.Skipped = &junitMessage{Message: "not run: " + res.Reason}
		case Warn:
			c.SystemOut = "warning: " + strings.Join(text, "\n")
		case Note:
			c.SystemOut = "note: " + strings.Join(text, "\n")
		}
		s.Cases = append(s.Cases, c)
	}
	if rep.Error != "" {
		s.Tests++
		s.Errors++
		s.Cases = append(s.Cases, junitCase{Name: "run", Classname: "conform", Error: &junitMessage{Message: "the run ended early", Text: rep.Error}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(s); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}
