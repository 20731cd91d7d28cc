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
