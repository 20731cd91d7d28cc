package mcptest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
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
			if !slices.Contains(conform.ClientCapabilities(), c) {
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
	var known conform.Baseline
	if baseline != "" {
		if known, err = conform.ReadBaseline(baseline); err != nil {
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

// judge computes the exit code: a MUST failure outside the baseline
// fails, and so does a stale baseline entry, so that a baseline only
// shrinks.
func judge(rep *conform.Report, known conform.Baseline, stderr io.Writer) int {
	failed, problems := known.Judge(rep)
	for _, p := range problems {
		fmt.Fprintf(stderr, "mcptest check: baseline: %s\n", p)
	}
	if failed || len(problems) > 0 {
		return exitCheckFailed
	}
	return exitOK
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
	"text":     conform.WriteText,
	"json":     conform.WriteJSON,
	"junit":    conform.WriteJUnit,
	"markdown": conform.WriteMarkdown,
}
