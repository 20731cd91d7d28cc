package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReportFindings checks how a report becomes the lines of an
// expectation: passes, skips and notes left out, this run's paths replaced,
// messages sorted within a check and kept on one line.
func TestReportFindings(t *testing.T) {
	const js = `{"server":{"name":"s","version":"1"},"revision":"2025-11-25","results":[
		{"id":"lifecycle-ping","level":"MUST","status":"pass"},
		{"id":"tools-structured-text","level":"SHOULD","status":"warn","findings":[
			{"message":"write: no text in /tmp/w1/x"},{"message":"read: two\nlines"}]},
		{"id":"resources","level":"MUST","status":"skip","findings":[{"message":"not advertised"}]},
		{"id":"lifecycle-before-initialize","level":"INFO","status":"note","findings":[{"message":"answered"}]},
		{"id":"tools-call","title":"tools called give results","level":"MUST","status":"fail"}]}`
	var rep report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	got := rep.findings(strings.NewReplacer("/tmp/w1", "$DIR"))
	want := []finding{
		{"tools-structured-text", "SHOULD", "warn", `read: two\nlines`},
		{"tools-structured-text", "SHOULD", "warn", "write: no text in $DIR/x"},
		{"tools-call", "MUST", "fail", "tools called give results"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(finding{})); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if got, want := (&result{report: rep}).counts(), "1 pass, 1 fail, 1 warn, 1 note, 1 skip"; got != want {
		t.Errorf("counts = %q, want %q", got, want)
	}
}

// fakeWorld is a world whose mcptest is a shell script.
func fakeWorld(t *testing.T, script string) *world {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake mcptest is a shell script")
	}
	dir := t.TempDir()
	w := &world{dir: dir, bin: filepath.Join(dir, "bin"), logs: filepath.Join(dir, "logs"), modules: filepath.Join(dir, "node_modules")}
	for _, d := range []string{w.bin, w.logs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(w.bin, "mcptest"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestCheck(t *testing.T) {
	// The fake prints a report naming its working directory, the
	// server's temporary directory, and exits 1, as when a MUST fails.
	w := fakeWorld(t, `printf '{"results":[{"id":"tools-call","level":"MUST","status":"fail","findings":[{"message":"wrote %s/x"}]}]}' "$PWD"; exit 1`)
	s := server{name: "x", goPkg: "example.com/cmd/x@v1.0.0", args: []string{"-root", "$DIR"}, callTools: "safe"}
	res, err := w.check(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	want := []finding{{"tools-call", "MUST", "fail", "wrote $DIR/x"}}
	if diff := cmp.Diff(want, res.findings, cmp.AllowUnexported(finding{})); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if got, want := strings.Join(res.argv, " "), "$WORLD/bin/mcptest check --format json --call-tools -- $WORLD/bin/x -root $DIR"; got != want {
		t.Errorf("argv = %q, want %q", got, want)
	}
}

func TestCheckUnreachable(t *testing.T) {
	w := fakeWorld(t, `echo "mcptest: target unreachable: boom" >&2; exit 2`)
	_, err := w.check(t.Context(), server{name: "x", goPkg: "example.com/cmd/x@v1.0.0"})
	if err == nil || !strings.Contains(err.Error(), "target unreachable: boom") || !strings.Contains(err.Error(), filepath.Join(w.logs, "x.log")) {
		t.Errorf("error %v, want the log's path and its end", err)
	}
}

// TestCheckCancelled checks that an interrupt stops a check at once,
// even when the stuck mcptest has left a child holding its stdout.
func TestCheckCancelled(t *testing.T) {
	started := filepath.Join(t.TempDir(), "started")
	w := fakeWorld(t, "sleep 20 & touch "+started+"; sleep 20\n")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := w.check(ctx, server{name: "x", goPkg: "example.com/cmd/x@v1.0.0"})
		done <- err
	}()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for _, err := os.Stat(started); err != nil; _, err = os.Stat(started) {
		select {
		case err := <-done:
			t.Fatalf("the check ended before it was cancelled: %v", err)
		case <-tick.C:
		}
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a cancelled check returned no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled check still runs 10s later")
	}
}
