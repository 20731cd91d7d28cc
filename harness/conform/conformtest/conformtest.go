// Package conformtest runs the conformance checker inside go test: one
// subtest per check, so that a server's defects show up, and fail, like
// any other test.
//
//	func TestServerConforms(t *testing.T) {
//		conformtest.Run(t, target.Server(newServer), nil)
//	}
//
// The target here is a server built in process, checked over stdio
// framing with a fresh server for each connection; target.Handler names
// an http.Handler, checked over streamable HTTP, and a target.Target a
// command or a URL.
//
// A check whose MUST rule is broken fails its subtest with the findings
// and their evidence; a SHOULD finding is logged (it fails with
// Options.Strict); a check that does not apply is skipped, saying why.
// Checks named in Options.Baseline are known failures: they are logged,
// and a baseline entry whose check passes fails the test, so that the
// baseline shrinks as the server gets fixed.
package conformtest

import (
	"context"
	"slices"
	"strings"

	"github.com/owulveryck/gomcptest/harness/conform"
	"github.com/owulveryck/gomcptest/harness/target"
)

// Options configure Run. A nil *Options means the defaults.
type Options struct {
	// Check are the checker's options: which checks, whether tools may be
	// called (CallTools, AllowTools), the client capabilities declared.
	Check conform.Options
	// Strict fails a subtest on a SHOULD finding too.
	Strict bool
	// Baseline are the ids of checks known to fail.
	Baseline []string
}

// T is what Run needs of a test; *testing.T has it all. Sub is the type
// of the subtests its Run starts: *testing.T again.
type T[Sub any] interface {
	Helper()
	Context() context.Context
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Skip(args ...any)
	Run(name string, f func(Sub)) bool
}

// Run checks the server tgt names and reports each check selected by
// opts.Check as a subtest of t, named by the check's id. It returns the report, or fails t when the
// target could not be checked at all. t is the test's *testing.T.
func Run[Sub T[Sub]](t Sub, tgt target.Target, opts *Options) *conform.Report {
	t.Helper()
	var o Options
	if opts != nil {
		o = *opts
	}
	rep, err := conform.Check(t.Context(), tgt, &o.Check)
	if rep == nil {
		t.Fatalf("checking %s: %v", tgt, err)
		return nil
	}
	if err != nil {
		t.Errorf("checking %s ended early: %v", tgt, err)
	}
	for _, res := range rep.Results {
		if !o.Check.Selects(res.ID) {
			continue
		}
		t.Run(res.ID, func(t Sub) {
			known := slices.Contains(o.Baseline, res.ID)
			switch {
			case res.Status == conform.Skip:
				t.Skip(res.Reason)
			case res.Status == conform.NotRun:
				t.Errorf("not run: %s", res.Reason)
			case res.Status == conform.Pass && known:
				t.Errorf("%s passes: remove it from the baseline", res.ID)
			case res.Status == conform.Fail && known:
				t.Logf("known failure (baseline): %s\n%s", res.Title, findings(res))
			case res.Status == conform.Fail, res.Status == conform.Warn && o.Strict:
				t.Errorf("%s %s: %s (%s)\n%s", res.Level, res.Status, res.Title, res.Spec, findings(res))
			case res.Status == conform.Warn, res.Status == conform.Note:
				t.Logf("%s: %s\n%s", res.Status, res.Title, findings(res))
			}
		})
	}
	return rep
}

func findings(res conform.Result) string {
	var b strings.Builder
	for _, f := range res.Findings {
		b.WriteString("  ")
		if len(f.Revisions) > 0 {
			b.WriteString("at " + strings.Join(f.Revisions, ", ") + ": ")
		}
		b.WriteString(f.Message)
		if f.Evidence != "" {
			b.WriteString("\n    evidence: " + f.Evidence)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
