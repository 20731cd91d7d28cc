package mcptest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestCheck(t *testing.T) {
	stale := filepath.Join(t.TempDir(), "baseline")
	if err := os.WriteFile(stale, []byte("# known failures\nlifecycle-ping\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"text", []string{"check", "--", sleepBin}, 0,
			[]string{"pass lifecycle-ping", "skip tools-call", "timing: startup"}, nil},
		{"call tools", []string{"check", "--call-tools", "--", sleepBin}, 0,
			[]string{"pass tools-call", "timing: sleep p50"}, nil},
		{"markdown", []string{"check", "--format", "markdown", "--only", "lifecycle-ping", "--", sleepBin}, 0,
			[]string{"| pass | [lifecycle-ping]("}, nil},
		{"junit", []string{"check", "--format", "junit", "--only", "lifecycle-*", "--", sleepBin}, 0,
			[]string{`<testsuite name="mcp conformance`, `<testcase name="lifecycle-ping"`}, nil},
		{"stale baseline", []string{"check", "--baseline", stale, "--", sleepBin}, 1,
			nil, []string{"lifecycle-ping passes now"}},
		{"bad format", []string{"check", "--format", "yaml", "--", sleepBin}, 2,
			nil, []string{`unknown format "yaml"`}},
		{"client caps", []string{"check", "--client-caps", "sampling,elicitation,roots", "--only", "sampling-request", "--", sleepBin}, 0,
			[]string{"skip sampling-request"}, nil},
		{"unknown client capability", []string{"check", "--client-caps", "sampling,telepathy", "--", sleepBin}, 2,
			nil, []string{`unknown client capability "telepathy"`}},
		{"unreachable", []string{"check", "--", "true"}, 2,
			nil, []string{"target unreachable"}},
		// A run that ends early still prints its report, in every
		// format, with the checks it could not run and the end of the
		// server's stderr.
		{"exits, text", []string{"check", "--", zooBin, "crashes"}, 1,
			[]string{"fail logging-set-level", "the server exited during this check: exit status 1", "not-run resources", "not run: at 2025-11-25", "incomplete: the server exited during the run", "  | mcpzoo: crashed on logging/setLevel"},
			[]string{"the server exited during the run"}},
		{"exits, junit", []string{"check", "--format", "junit", "--", zooBin, "crashes"}, 1,
			[]string{`<testcase name="resources" classname="conform.MUST"`, `<skipped message="not run: at 2025-11-25`, `<testcase name="run" classname="conform"`, `<error message="the run ended early">`, "<system-err>mcpzoo: crashed on logging/setLevel"},
			nil},
		{"exits, markdown", []string{"check", "--format", "markdown", "--", zooBin, "crashes"}, 1,
			[]string{"**Incomplete:** the server exited during the run", "| not-run | [resources](", "mcpzoo: crashed on logging/setLevel\n```"},
			nil},
		{"cannot start, text", []string{"check", "--", zooBin, "fails-to-start"}, 2,
			[]string{"not-run lifecycle-ping", "not run: the server could not be checked", "incomplete: target unreachable", "  | mcpzoo: cannot start: no configuration"},
			[]string{"target unreachable"}},
		{"cannot start, junit", []string{"check", "--format", "junit", "--", zooBin, "fails-to-start"}, 2,
			[]string{`errors="1"`, `<skipped message="not run: the server could not be checked">`, "<system-err>mcpzoo: cannot start"},
			nil},
		// The server never answers ping, and the run's time runs out
		// while lifecycle-ping waits: the checks before it stand.
		{"time runs out", []string{"check", "--timeout", "2s", "--exchange-timeout", "1h", "--", zooBin, "no-ping"}, 2,
			[]string{"not-run lifecycle-ping", "incomplete: "},
			[]string{"timed out (see --timeout)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mcptest(t, tt.args...).check(t, tt.code, tt.stdout, tt.stderr)
		})
	}
}

func TestCheckJSON(t *testing.T) {
	r := mcptest(t, "check", "--format", "json", "--", sleepBin)
	if r.code != 0 {
		t.Fatalf("exit code %d:\n%s", r.code, r.stderr)
	}
	var rep struct {
		Server  struct{ Name string }
		Results []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Server.Name != "sleep" || len(rep.Results) < 30 {
		t.Errorf("server %q with %d results, want sleep with at least 30", rep.Server.Name, len(rep.Results))
	}
}

// The JSON report of an incomplete run says so, and keeps the stderr.
func TestCheckJSONEndsEarly(t *testing.T) {
	r := mcptest(t, "check", "--format", "json", "--", zooBin, "crashes")
	if r.code != 1 {
		t.Fatalf("exit code %d, want 1:\n%s", r.code, r.stderr)
	}
	var rep struct {
		SchemaVersion int
		Complete      bool
		Error, Stderr string
		Results       []struct{ ID, Status, Reason string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	notRun := 0
	for _, res := range rep.Results {
		if res.Status == "not-run" {
			notRun++
		}
	}
	if rep.SchemaVersion != 1 || rep.Complete || rep.Error == "" || rep.Stderr == "" || notRun == 0 {
		t.Errorf("schemaVersion %d, complete %v, error %q, stderr %q, %d not run: want 1, false, an error, the stderr, some not run",
			rep.SchemaVersion, rep.Complete, rep.Error, rep.Stderr, notRun)
	}
}
