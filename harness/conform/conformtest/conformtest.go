// Package conformtest runs the conformance checker inside go test: one
// subtest per check, so that a server's defects show up, and fail, like
// any other test.
//
//	func TestServerConforms(t *testing.T) {
//		h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return newServer() }, nil)
//		conformtest.Run(t, conformtest.Handler(t, http.NewCrossOriginProtection().Handler(h)), nil)
//	}
//
// A check whose MUST rule is broken fails its subtest with the findings
// and their evidence; a SHOULD finding is logged (it fails with
// Options.Strict); a check that does not apply is skipped, saying why.
// Checks named in Options.Baseline are known failures: they are logged,
// and a baseline entry whose check passes fails the test, so that the
// baseline shrinks as the server gets fixed.
package conformtest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

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

// Run checks the server tgt names and reports each check as a subtest of
// t, named by the check's id. It returns the report, or fails t when the
// target could not be checked at all.
func Run(t *testing.T, tgt target.Target, opts *Options) *conform.Report {
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
		t.Run(res.ID, func(t *testing.T) {
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

// Handler serves h with httptest for the duration of the test, and
// returns the target of its endpoint.
func Handler(t testing.TB, h http.Handler) target.Target {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return target.Target{URL: srv.URL}
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
