package mcptest

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/owulveryck/gomcptest/harness/conform"
)

// Exit codes of check, as the official suite has them.
const (
	exitCheckFailed = 1 // a MUST check failed, or a baseline entry is stale
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f targetFlags
	var opts conform.Options
	var only, skip, allow listFlag
	var format, baseline string
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs)
	fs.StringVar(&format, "format", "text", "print the report as `FORMAT`: text, json, junit or markdown")
	fs.StringVar(&baseline, "baseline", "", "known failures, one check id a line, in `FILE`: they do not fail the run, but an entry that passes does")
	fs.StringVar(&opts.Revision, "revision", "", "run the main session at protocol `REVISION` only (default: at every revision the server claims)")
	fs.Var(&only, "only", "run only the checks matching `ID` (a pattern, repeatable)")
	fs.Var(&skip, "skip", "skip the checks matching `ID` (a pattern, repeatable)")
	fs.BoolVar(&opts.CallTools, "call-tools", false, "call every tool with generated arguments (tools may change your machine)")
	fs.Var(&allow, "allow-tool", "allow calling the tool `NAME` (repeatable)")
	fs.Func("client-caps", "declare the client capabilities `CAPS`, comma-separated ("+strings.Join(conform.ClientCapabilities(), ", ")+"), and answer the server's requests for them", func(s string) error {
		for _, c := range strings.Split(s, ",") {
			if !contains(conform.ClientCapabilities(), c) {
				return fmt.Errorf("unknown client capability %q", c)
			}
			opts.ClientCaps = append(opts.ClientCaps, c)
		}
		return nil
	})
	fs.DurationVar(&opts.Timeout, "exchange-timeout", 0, "give up on one exchange after `DURATION` (default 5s)")
	fs.Usage = usageFunc(fs, "mcptest check [flags] (-- command [args...] | --url URL)", `Check that a server follows the MCP specification: lifecycle, JSON-RPC,
tools, resources, prompts, and the streamable HTTP rules. A line per check
says pass, fail (a MUST rule is broken), warn (a SHOULD rule), note
(something worth knowing that breaks no rule) or skip.

Tools are called, with generated arguments and with invalid ones, only
when allowed (--call-tools or --allow-tool): otherwise they are judged from
tools/list alone.

The checker declares no client capability unless told (--client-caps):
a server request for sampling, elicitation or roots is then a finding.
With --client-caps, it answers such requests with canned, valid answers
(a text from a pretend model, a form filled from its schema, the current
directory as the only root) and checks their shape.

The checks that use the main session run at every revision the server
claims, unless --revision names one. The report is printed even when the
run ends early (the server cannot start or exits, --timeout passes), with
the checks it could not run and why; the JSON form is described in
harness/conform/REPORT.md.

Exit status: 0 when every MUST check passes, 1 when one fails (or a
baseline entry is stale), 2 when the server could not be run or the run
ended before a verdict.
`)
	positional, command, err := parse(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if len(positional) > 0 {
		fmt.Fprintf(stderr, "mcptest check: unexpected argument %q (is the server command after --?)\n", positional[0])
		return exitFailure
	}
	if f.json {
		format = "json"
	}
	print, ok := printers[format]
	if !ok {
		fmt.Fprintf(stderr, "mcptest check: unknown format %q: want text, json, junit or markdown\n", format)
		return exitFailure
	}
	var known []string
	if baseline != "" {
		if known, err = readBaseline(baseline); err != nil {
			fmt.Fprintf(stderr, "mcptest check: %v\n", err)
			return exitFailure
		}
	}
	opts.Only, opts.Skip, opts.AllowTools = only, skip, allow
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	tgt := f.target(command, stderr)
	if tgt.URL != "" {
		opts.HTTPClient = tgt.HTTPClient()
	}
	// The report is printed even when the run ended early: what was
	// checked stands, and the rest says why it was not.
	rep, err := conform.Check(ctx, tgt, &opts)
	if rep == nil {
		report(ctx, stderr, err)
		return exitFailure
	}
	if err := print(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}
	code := judge(rep, known, stderr)
	if err != nil {
		report(ctx, stderr, err)
		// A failed check is a verdict; without one, an incomplete run
		// has none.
		if code == exitOK {
			code = exitFailure
		}
	}
	return code
}

// judge computes the exit code, forgiving the failures in the baseline
// and failing on its stale entries, so that a baseline only shrinks.
func judge(rep *conform.Report, known []string, stderr io.Writer) int {
	code := exitOK
	for _, res := range rep.Results {
		if res.Status == conform.Fail && !contains(known, res.ID) {
			code = exitCheckFailed
		}
	}
	for _, id := range known {
		res := rep.Result(id)
		switch {
		case res == nil:
			fmt.Fprintf(stderr, "mcptest check: baseline: no check %q\n", id)
			code = exitCheckFailed
		case res.Status == conform.Pass:
			fmt.Fprintf(stderr, "mcptest check: baseline: %s passes now: remove it from the baseline\n", id)
			code = exitCheckFailed
		}
	}
	return code
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readBaseline reads check ids, one a line; # starts a comment.
func readBaseline(name string) ([]string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	var ids []string
	for line := range strings.Lines(string(data)) {
		line, _, _ = strings.Cut(line, "#")
		if id := strings.TrimSpace(line); id != "" {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	if s == "" {
		return errors.New("empty value")
	}
	*l = append(*l, s)
	return nil
}

var printers = map[string]func(io.Writer, *conform.Report) error{
	"text":     printText,
	"json":     printJSON,
	"junit":    printJUnit,
	"markdown": printMarkdown,
}

func printText(w io.Writer, rep *conform.Report) error {
	fmt.Fprintf(w, "%s: %s %s, revision %s%s\n", rep.Target, rep.Server.Name, rep.Server.Version, rep.Revision, alsoAt(rep))
	for _, res := range rep.Results {
		fmt.Fprintf(w, "%-4s %-30s %-6s %s\n", res.Status, res.ID, res.Level, res.Title)
		switch {
		case res.Status == conform.NotRun:
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
		printTiming(w, rep.Timing)
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
func counts(rep *conform.Report) string {
	s := fmt.Sprintf("%d pass, %d fail, %d warn, %d note, %d skip", rep.Count(conform.Pass), rep.Count(conform.Fail), rep.Count(conform.Warn), rep.Count(conform.Note), rep.Count(conform.Skip))
	if n := rep.Count(conform.NotRun); n > 0 {
		s += fmt.Sprintf(", %d not run", n)
	}
	return s
}

// alsoAt names the other revisions the main session ran at.
func alsoAt(rep *conform.Report) string {
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
func at(rep *conform.Report, f conform.Finding) string {
	if len(rep.Revisions) < 2 || len(f.Revisions) == 0 {
		return ""
	}
	return "at " + strings.Join(f.Revisions, ", ") + ": "
}

func printTiming(w io.Writer, t conform.Timing) {
	fmt.Fprintf(w, "timing: startup %v", t.Startup.Round(1e3))
	if t.Ping != nil {
		fmt.Fprintf(w, ", ping p50 %v p99 %v", t.Ping.P50.Round(1e3), t.Ping.P99.Round(1e3))
	}
	fmt.Fprintln(w)
	for name, l := range t.Tools {
		fmt.Fprintf(w, "timing: %s p50 %v p99 %v (%d calls)\n", name, l.P50.Round(1e3), l.P99.Round(1e3), l.N)
	}
}

func printJSON(w io.Writer, rep *conform.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func printMarkdown(w io.Writer, rep *conform.Report) error {
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
		if res.Status == conform.Skip || res.Status == conform.NotRun {
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

func printJUnit(w io.Writer, rep *conform.Report) error {
	s := junitSuite{Name: "mcp conformance " + rep.Target, Tests: len(rep.Results), Time: rep.Duration.Seconds(), SystemErr: rep.Stderr}
	for _, res := range rep.Results {
		c := junitCase{Name: res.ID, Classname: "conform." + string(res.Level), Time: res.Duration.Seconds()}
		var text []string
		for _, f := range res.Findings {
			text = append(text, at(rep, f)+f.Message+"\n  "+f.Evidence)
		}
		switch res.Status {
		case conform.Fail:
			s.Failures++
			c.Failure = &junitMessage{Message: res.Title, Text: strings.Join(text, "\n")}
		case conform.Skip:
			s.Skipped++
			c.Skipped = &junitMessage{Message: res.Reason}
		case conform.NotRun:
			s.Skipped++
			c.Skipped = &junitMessage{Message: "not run: " + res.Reason}
		case conform.Warn:
			c.SystemOut = "warning: " + strings.Join(text, "\n")
		case conform.Note:
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
