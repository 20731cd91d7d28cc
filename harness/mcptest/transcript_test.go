package mcptest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordVerify records a session with the sleep tool, verifies the
// tool against it, then against a copy changed as a new version of the
// tool would answer.
func TestRecordVerify(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sleep.txtar")
	mcptest(t, "record", "-o", file, "sleep", `{"seconds":0}`, "nope", "--", sleepBin).
		check(t, 0, nil, []string{`tool nope: calling "tools/call": unknown tool "nope" (recorded)`, "recorded 9 messages in " + file})
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"MCP session recorded by mcptest record.\nserver: " + sleepBin + "\nprotocol: 2025-11-25\ndate: ",
		"-- 004 client request tools/list --",
		"-- 006 client request tools/call --",
		"-- 009 server error tools/call --",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("transcript lacks %q:\n%s", want, data)
		}
	}

	mcptest(t, "verify", file, "--", sleepBin).check(t, 0, []string{"ok " + file}, nil)

	changed := filepath.Join(dir, "changed.txtar")
	edited := strings.Replace(string(data), `"text": "Slept for 0 seconds"`, `"text": "Slept for zero seconds"`, 1)
	if err := os.WriteFile(changed, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	mcptest(t, "verify", changed, "--", sleepBin).check(t, 1,
		[]string{"changed.txtar:", ": server response tools/call\n", "--- recorded\n+++ live\n",
			"-        \"text\": \"Slept for zero seconds\",\n+        \"text\": \"Slept for 0 seconds\",\n"},
		[]string{"1 of the server's answers differ"})
	mcptest(t, "verify", "--ignore", "/result/content/*/text", changed, "--", sleepBin).check(t, 0, []string{"ok "}, nil)

	mcptest(t, "verify", file, "--", "/does/not/exist").check(t, 2, nil, []string{"/does/not/exist"})
	mcptest(t, "verify", filepath.Join(dir, "none.txtar"), "--", sleepBin).check(t, 2, nil, []string{"none.txtar"})
}

// TestRecordVars writes a value that varies between runs as a placeholder,
// which verify needs back.
func TestRecordVars(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sleep.txtar")
	mcptest(t, "record", "-o", file, "--var", "BIN="+filepath.Dir(sleepBin), "--", sleepBin).check(t, 0, nil, nil)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "server: ${BIN}/sleep\n") || !strings.Contains(string(data), "vars: BIN\n") {
		t.Errorf("transcript does not use ${BIN}:\n%s", data)
	}
	mcptest(t, "verify", file, "--", sleepBin).check(t, 2, nil, []string{"give its value (--var BIN=VALUE)"})
	mcptest(t, "verify", "--var", "BIN=/x", file, "--", sleepBin).check(t, 0, nil, nil)
}

func TestTranscriptUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"record without -o", []string{"record", "--", sleepBin}, "want -o FILE"},
		{"record bad var", []string{"record", "-o", "x", "--var", "X", "--", sleepBin}, "want NAME=VALUE"},
		{"verify without file", []string{"verify", "--", sleepBin}, "want one transcript FILE"},
		{"verify bad pointer", []string{"verify", "--ignore", "result", "f", "--", sleepBin}, "want a leading /"},
		{"replay-server without file", []string{"replay-server"}, "want one transcript FILE"},
		{"replay-server missing file", []string{"replay-server", "/does/not/exist.txtar"}, "/does/not/exist.txtar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mcptest(t, tt.args...).check(t, 2, nil, []string{tt.stderr})
		})
	}
}
