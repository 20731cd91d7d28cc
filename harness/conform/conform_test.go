package conform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/owulveryck/gomcptest/fakes/mcpservers"
	"github.com/owulveryck/gomcptest/harness/target"
)

// binDir holds the tool binaries, built once by TestMain.
var binDir string

// With CONFORM_ZOO=NAME the test binary is that server of the zoo, over
// stdio, so the table test can run each as a process.
func TestMain(m *testing.M) {
	if name := os.Getenv("CONFORM_ZOO"); name != "" {
		d, err := mcpservers.Lookup(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := d.ServeStdio(context.Background(), os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "zoo: %v\n", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "conform")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	binDir = dir
	args := []string{"build", "-o", dir + "/"}
	tools, err := toolBinaries()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for _, name := range tools {
		args = append(args, "github.com/owulveryck/gomcptest/tools/cmd/"+name)
	}
	args = append(args, "github.com/owulveryck/gomcptest/fakes/cmd/everything")
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the tools: %v\n%s", err, out)
		return 2
	}
	return m.Run()
}

func zooTarget(t testing.TB, d mcpservers.Defect) target.Target {
	if d.HTTP {
		srv := httptest.NewServer(d.Handler())
		t.Cleanup(func() {
			// A cancelled call may leave its stream open on the server side.
			srv.CloseClientConnections()
			srv.Close()
		})
		return target.Target{URL: srv.URL}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return target.Target{Command: []string{exe}, Env: []string{"CONFORM_ZOO=" + d.Name}}
}

// summary lists the checks that did not pass, for failure messages.
func summary(rep *Report) string {
	var b strings.Builder
	for _, r := range rep.Results {
		if r.Status == Fail || r.Status == Warn {
			fmt.Fprintf(&b, "  %s %s\n", r.Status, r.ID)
			for _, f := range r.Findings {
				fmt.Fprintf(&b, "    at %s: %s: %s\n", strings.Join(f.Revisions, ", "), f.Message, f.Evidence)
			}
		}
	}
	return b.String()
}

// TestZoo proves the checker finds each defect of the zoo under the check
// id that names it, and fails no MUST check of the correct servers. A
// server that exits ends the run early, with the report so far.
func TestZoo(t *testing.T) {
	for _, d := range mcpservers.Defects() {
		t.Run(d.Name, func(t *testing.T) {
			opts := &Options{CallTools: true, Timeout: 500 * time.Millisecond, Samples: 3, ClientCaps: d.ClientCaps}
			rep, err := Check(t.Context(), zooTarget(t, d), opts)
			switch {
			case d.Exits && d.Check == "":
				if !errors.Is(err, ErrUnreachable) {
					t.Fatalf("Check = %v, want %v", err, ErrUnreachable)
				}
				return
			case d.Exits:
				if !errors.Is(err, ErrExited) {
					t.Fatalf("Check = %v, want %v", err, ErrExited)
				}
			case err != nil:
				t.Fatal(err)
			}
			if d.Check == "" {
				if rep.Failed() {
					t.Errorf("the correct server %s (%s) fails a MUST check:\n%s", d.Name, d.Doc, summary(rep))
				}
				return
			}
			res := rep.Result(d.Check)
			if res == nil {
				t.Fatalf("no check %q", d.Check)
			}
			found := res.Status == Fail || res.Status == Warn || res.Level == Info && res.Status == Note
			if !found {
				t.Errorf("%s: status %s, want it found (%s)\n%s", d.Check, res.Status, d.Doc, summary(rep))
			}
		})
	}
}

// TestFalseAlarms runs the correct servers of the zoo that do what a
// checker might wrongly flag, and the defects whose finding is of a lower
// level than their check's, and asserts the exact outcome of the check
// concerned. A server name ending in +http is that server over HTTP.
func TestFalseAlarms(t *testing.T) {
	opts := Options{CallTools: true, Timeout: 500 * time.Millisecond, Samples: 1}
	for _, tc := range []struct {
		server, check string
		revision      string // of the main session; empty means the newest
		want          []Status
		after         string // a check whose calls this one judges
	}{
		{"empty-version", "lifecycle-initialize", "", []Status{Pass}, ""},
		{"ref-schema", "tools-call", "", []Status{Pass}, ""},
		{"ref-schema", "tools-invalid-arguments", "", []Status{Pass}, ""},
		{"long-progress", "tools-call", "", []Status{Pass}, ""},
		{"long-progress", "tools-concurrent-calls", "", []Status{Pass}, "tools-call"},
		{"cancel-race", "tools-cancel", "", []Status{Pass, Note}, ""},
		{"strict-prompt", "prompts", "", []Status{Pass, Note}, ""},
		{"legacy-http", "lifecycle-discover", "", []Status{Skip}, ""},
		{"correct", "jsonrpc-parse-error", "", []Status{Pass, Note}, ""},
		{"correct", "lifecycle-before-initialize", "", []Status{Pass, Note}, ""},
		{"hangs-on-close", "lifecycle-stdin-close", "", []Status{Note}, ""},
		{"wrong-error-code", "jsonrpc-method-not-found", "", []Status{Warn}, ""},
		{"unknown-tool-result", "tools-unknown", "", []Status{Warn}, ""},
		{"bad-tool-name", "tools-names", "", []Status{Warn}, ""},
		{"bad-tool-name", "tools-names", "2025-06-18", []Status{Skip}, ""},
		{"origin-400", "http-origin", "2025-06-18", []Status{Pass}, ""},
		{"correct+http", "http-session-required", "", []Status{Pass, Note}, ""},
	} {
		t.Run(tc.server+"/"+tc.check+tc.revision, func(t *testing.T) {
			name, overHTTP := strings.CutSuffix(tc.server, "+http")
			d, err := mcpservers.Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			d.HTTP = d.HTTP || overHTTP
			o := opts
			o.Only, o.Revision = []string{tc.check, tc.after}, tc.revision
			rep, err := Check(t.Context(), zooTarget(t, d), &o)
			if err != nil {
				t.Fatal(err)
			}
			res := rep.Result(tc.check)
			if !slices.Contains(tc.want, res.Status) {
				t.Errorf("%s on %s (%s): %s, want one of %v: %s\n%v", tc.check, tc.server, d.Doc, res.Status, tc.want, res.Reason, res.Findings)
			}
		})
	}
}

// TestNoCallWithoutPermission proves that no tool runs unless allowed,
// even one that does not validate its input, and that an allowed one is
// probed with invalid arguments.
func TestNoCallWithoutPermission(t *testing.T) {
	d, _ := mcpservers.Lookup("unvalidated")
	d.HTTP = true
	var mu sync.Mutex
	var ran []string
	d.OnRecord = func(args json.RawMessage) {
		mu.Lock()
		defer mu.Unlock()
		ran = append(ran, string(args))
	}
	tgt := zooTarget(t, d)
	rep, err := Check(t.Context(), tgt, &Options{Timeout: time.Second, Samples: 1})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(ran) > 0 {
		t.Errorf("without permission, record ran with %v", ran)
	}
	mu.Unlock()
	if res := rep.Result("tools-invalid-arguments"); res.Status != Skip || !strings.Contains(res.Reason, "--call-tools") {
		t.Errorf("tools-invalid-arguments without permission: %s (%s), want skip saying what allows it", res.Status, res.Reason)
	}

	rep, err = Check(t.Context(), tgt, &Options{AllowTools: []string{"record"}, Only: []string{"tools-invalid-arguments"}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res := rep.Result("tools-invalid-arguments"); res.Status != Fail {
		t.Errorf("tools-invalid-arguments with record allowed: %s, want fail:\n%s", res.Status, summary(rep))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ran) == 0 {
		t.Errorf("with record allowed, it never ran")
	}
}

// TestMisansweredHandshake proves that an initialize answered under
// another id is a jsonrpc-ids failure with its evidence, not an
// unreachable target.
func TestMisansweredHandshake(t *testing.T) {
	d, _ := mcpservers.Lookup("wrong-ids-all")
	rep, err := Check(t.Context(), zooTarget(t, d), &Options{Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatalf("Check = %v, want a report", err)
	}
	res := rep.Result("jsonrpc-ids")
	if res.Status != Fail || len(res.Findings) == 0 || !strings.Contains(res.Findings[0].Evidence, `"id":1001`) {
		t.Errorf("jsonrpc-ids: %s %v, want fail with the answer as evidence", res.Status, res.Findings)
	}
	if !rep.Failed() {
		t.Error("the report does not fail")
	}
	if rep.Server.Name != "zoo" {
		t.Errorf("server %q, want the name from the misanswered initialize", rep.Server.Name)
	}
}

// TestCorrectOverHTTP runs the correct server over streamable HTTP.
func TestCorrectOverHTTP(t *testing.T) {
	d, _ := mcpservers.Lookup(mcpservers.Correct)
	d.HTTP = true
	rep, err := Check(t.Context(), zooTarget(t, d), &Options{CallTools: true, Timeout: time.Second, Samples: 3})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Errorf("the correct server fails a MUST check over HTTP:\n%s", summary(rep))
	}
	if res := rep.Result("http-session"); res.Status != Pass {
		t.Errorf("http-session: %s, want pass", res.Status)
	}
}

// TestTools runs every tool binary of the repository through the checker,
// calling its tools with generated arguments inside a temporary root.
// toolBinaries are every tool command of the repository: each must pass
// the checker.
func toolBinaries() ([]string, error) {
	entries, err := os.ReadDir("../../tools/cmd")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// toolEnv keeps the tools on this machine: the model tools on the offline
// model, sub-agent on a closed local port, images in the test's folder.
func toolEnv(root string) []string {
	return []string{
		"GCP_PROJECT=", "GOOGLE_CLOUD_PROJECT=", "GEMINI_API_KEY=", "GOOGLE_API_KEY=", "MODEL_BASE_URL=",
		"OPENAI_BASE_URL=http://127.0.0.1:1/v1", "OPENAI_API_KEY=test", "IMAGE_DIR=" + root,
	}
}

func TestTools(t *testing.T) {
	tools, err := toolBinaries()
	if err != nil {
		t.Fatal(err)
	}
	if len(tools) < 15 {
		t.Fatalf("found %d tool binaries in tools/cmd, want the 15 of the suite: %v", len(tools), tools)
	}
	for _, name := range tools {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			tgt := target.Target{Command: []string{filepath.Join(binDir, name), "-root", root}, Dir: root, Env: toolEnv(root)}
			rep, err := Check(t.Context(), tgt, &Options{CallTools: true, Samples: 3})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed() {
				t.Errorf("%s fails a MUST check:\n%s", name, summary(rep))
			}
			if rep.Count(Pass) < 15 {
				t.Errorf("only %d checks pass:\n%s", rep.Count(Pass), summary(rep))
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	_, err := Check(t.Context(), target.Target{Command: []string{"true"}}, &Options{Timeout: time.Second})
	if err == nil || !strings.Contains(err.Error(), ErrUnreachable.Error()) {
		t.Errorf("Check(true) = %v, want %v", err, ErrUnreachable)
	}
}

func TestOnlyAndSkip(t *testing.T) {
	d, _ := mcpservers.Lookup(mcpservers.Correct)
	rep, err := Check(t.Context(), zooTarget(t, d), &Options{Only: []string{"lifecycle-*"}, Skip: []string{"lifecycle-ping"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		selected := strings.HasPrefix(r.ID, "lifecycle-") && r.ID != "lifecycle-ping"
		if !selected && r.Reason != "not selected" {
			t.Errorf("%s ran (%s), want it not selected", r.ID, r.Status)
		}
		if selected && r.Reason == "not selected" {
			t.Errorf("%s was not selected", r.ID)
		}
	}
}

// BenchmarkCheckEverything is one full default check over stdio of the
// everything fixture, which has every feature, as the reference servers
// do: the run the 2 s target of a default check is about.
func BenchmarkCheckEverything(b *testing.B) {
	tgt := target.Target{Command: []string{filepath.Join(binDir, "everything")}}
	for b.Loop() {
		rep, err := Check(b.Context(), tgt, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(rep.Revisions)), "revisions")
	}
}

// BenchmarkCheckSlowStart is one full default check of a server that
// takes 200 ms to start, as the TypeScript reference servers do: the
// processes the run needs must start side by side, not one after the
// other.
func BenchmarkCheckSlowStart(b *testing.B) {
	d, _ := mcpservers.Lookup("slow-start")
	tgt := zooTarget(b, d)
	for b.Loop() {
		if _, err := Check(b.Context(), tgt, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckSleep is one full default check of sleep over stdio.
func BenchmarkCheckSleep(b *testing.B) {
	tgt := target.Target{Command: []string{filepath.Join(binDir, "sleep")}}
	for b.Loop() {
		rep, err := Check(b.Context(), tgt, nil)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Failed() {
			b.Fatalf("sleep fails:\n%s", summary(rep))
		}
	}
}

// A batch answered after the ping behind it is judged by its answers,
// which come in before the end of the run, not as one that got none.
func TestLateBatchAnswers(t *testing.T) {
	d, err := mcpservers.Lookup("late-batch")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(t.Context(), zooTarget(t, d), &Options{CallTools: true, Timeout: 500 * time.Millisecond, Samples: 1})
	if err != nil {
		t.Fatal(err)
	}
	res := rep.Result("jsonrpc-batch-refused")
	want := []Finding{{Level: Info, Revisions: []string{"2025-11-25", "2025-06-18"}, Message: "a batch was answered with results, not refused"}}
	if diff := cmp.Diff(want, res.Findings); diff != "" {
		t.Errorf("jsonrpc-batch-refused findings (-want +got):\n%s", diff)
	}
}
