package mcptest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sleepBin is the real sleep tool binary, and zooBin the zoo of broken
// servers, built once by TestMain.
var sleepBin, zooBin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "mcptest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	sleepBin, zooBin = filepath.Join(dir, "sleep"), filepath.Join(dir, "mcpzoo")
	build := exec.Command("go", "build", "-o", dir+"/", "github.com/owulveryck/gomcptest/tools/cmd/sleep", "github.com/owulveryck/gomcptest/fakes/cmd/mcpzoo")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building sleep and mcpzoo: %v\n%s", err, out)
		return 2
	}
	return m.Run()
}

type result struct {
	code           int
	stdout, stderr string
}

func mcptest(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr strings.Builder
	code := Run(t.Context(), args, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// check fails the test unless r has the exit code and its stdout and
// stderr contain the given substrings.
func (r result) check(t *testing.T, code int, stdout, stderr []string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, want := range stdout {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, want := range stderr {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestStdio(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"list", []string{"list", "--", sleepBin}, 0,
			[]string{"sleep  Pauses for a given number of seconds"}, nil},
		{"call", []string{"call", "sleep", `{"seconds":0.1}`, "--", sleepBin}, 0,
			[]string{"Slept for 0.1 seconds\n"}, nil},
		{"flags after arguments", []string{"call", "sleep", `{"seconds":0}`, "--timeout", "30s", "--", sleepBin}, 0,
			[]string{"Slept for 0 seconds"}, nil},
		{"tool error", []string{"call", "sleep", `{"seconds":700}`, "--", sleepBin}, 1,
			[]string{"seconds must be between 0 and 600"}, []string{"tool sleep reported an error"}},
		{"several calls, one session", []string{"call", "sleep", `{"seconds":0}`, "sleep", `{"seconds":700}`, "sleep", `{"seconds":0.1}`, "--", sleepBin}, 1,
			[]string{"Slept for 0 seconds\nseconds must be between 0 and 600", "Slept for 0.1 seconds\n"}, []string{"tool sleep reported an error"}},
		{"invalid arguments", []string{"call", "sleep", "--", sleepBin}, 1,
			[]string{"seconds"}, nil},
		{"unknown tool", []string{"call", "nope", "{}", "--", sleepBin}, 2,
			nil, []string{`unknown tool "nope"`}},
		{"missing program", []string{"list", "--", "/does/not/exist"}, 2,
			nil, []string{"/does/not/exist"}},
		{"missing dir", []string{"list", "--dir", "/does/not/exist", "--", sleepBin}, 2,
			nil, []string{"/does/not/exist"}},
		{"env passed", []string{"list", "--env", "A=b", "--", sleepBin}, 0,
			[]string{"sleep"}, nil},
		{"timeout", []string{"call", "--timeout", "200ms", "sleep", `{"seconds":600}`, "--", sleepBin}, 2,
			nil, []string{"timed out (see --timeout)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mcptest(t, tt.args...).check(t, tt.code, tt.stdout, tt.stderr)
		})
	}
}

func TestListJSON(t *testing.T) {
	r := mcptest(t, "list", "--json", "--", sleepBin)
	r.check(t, 0, nil, nil)
	var tools []struct {
		Name        string
		InputSchema struct {
			Properties map[string]struct{ Type string }
			Required   []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &tools); err != nil {
		t.Fatalf("stdout is not a JSON list of tools: %v\n%s", err, r.stdout)
	}
	if len(tools) != 1 || tools[0].Name != "sleep" {
		t.Fatalf("tools = %+v, want one named sleep", tools)
	}
	if got := tools[0].InputSchema.Properties["seconds"].Type; got != "number" {
		t.Errorf("seconds has type %q, want number", got)
	}
}

func TestCallJSON(t *testing.T) {
	r := mcptest(t, "call", "--json", "sleep", `{"seconds":0.5}`, "--", sleepBin)
	r.check(t, 0, nil, nil)
	var res struct {
		Content           []struct{ Type, Text string }
		StructuredContent struct {
			SleptSeconds float64 `json:"slept_seconds"`
		}
		IsError bool
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("stdout is not a JSON result: %v\n%s", err, r.stdout)
	}
	if res.StructuredContent.SleptSeconds != 0.5 || res.IsError || len(res.Content) != 1 || res.Content[0].Text != "Slept for 0.5 seconds" {
		t.Errorf("result = %+v, want 0.5 seconds slept, mirrored as text", res)
	}
	if !strings.Contains(r.stdout, "\n  \"structuredContent\": {\n    \"slept_seconds\": 0.5\n  }") {
		t.Errorf("structuredContent is not indented:\n%s", r.stdout)
	}
}

func TestHTTP(t *testing.T) {
	url := serveHTTP(t)
	mcptest(t, "list", "--url", url).check(t, 0, []string{"sleep  Pauses"}, nil)
	mcptest(t, "call", "--url", url, "sleep", `{"seconds":0.1}`).check(t, 0, []string{"Slept for 0.1 seconds"}, nil)
	mcptest(t, "call", "--url", url, "sleep", `{"seconds":-1}`).check(t, 1, []string{"between 0 and 600"}, nil)
	mcptest(t, "list", "--url", url, "--env", "A=b").check(t, 2, nil, []string{"--env and --dir apply to a command"})
}

func TestHTTPAuthToken(t *testing.T) {
	t.Setenv("MCP_AUTH_TOKEN", "")
	url := serveHTTP(t, "-auth-token", "s3cret")
	mcptest(t, "list", "--url", url).check(t, 2, nil, []string{"bearer token"})
	mcptest(t, "list", "--url", url, "--auth-token", "wrong").check(t, 2, nil, []string{"bearer token"})
	mcptest(t, "list", "--url", url, "--auth-token", "s3cret").check(t, 0, []string{"sleep  Pauses"}, nil)
	mcptest(t, "call", "--url", url, "--auth-token", "s3cret", "sleep", `{"seconds":0.1}`).check(t, 0, []string{"Slept for 0.1 seconds"}, nil)
	// check sends the token with its own HTTP probes too.
	mcptest(t, "check", "--url", url, "--auth-token", "s3cret", "--only", "http-*").check(t, 0, []string{" 0 fail"}, nil)
	mcptest(t, "list", "--auth-token", "s3cret", "--", sleepBin).check(t, 2, nil, []string{"--auth-token applies to a URL"})

	// The environment gives the token when the flag does not.
	t.Setenv("MCP_AUTH_TOKEN", "s3cret")
	mcptest(t, "list", "--url", url).check(t, 0, []string{"sleep  Pauses"}, nil)
	mcptest(t, "list", "--url", url, "--auth-token", "wrong").check(t, 2, nil, []string{"bearer token"})
	// and does not stop mcptest from starting a command.
	mcptest(t, "list", "--", sleepBin).check(t, 0, []string{"sleep  Pauses"}, nil)
}

// serveHTTP starts the sleep binary on a free port, with args, and returns
// its URL, read from the line it logs.
func serveHTTP(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(sleepBin, append([]string{"-http", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	urls := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`url=(http://\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	select {
	case url := <-urls:
		return url
	case <-time.After(30 * time.Second):
		t.Fatal("sleep -http did not log its URL")
		return ""
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"no arguments", nil, 2, nil, []string{"Usage:", "list", "call"}},
		{"help", []string{"help"}, 0, []string{"mcptest list -- ./bin/sleep", "Exit status"}, nil},
		{"--help", []string{"--help"}, 0, []string{"Commands:"}, nil},
		{"help call", []string{"help", "call"}, 0, []string{"mcptest call [flags] TOOL", "-timeout DURATION", "-env K=V", "-dir DIR", "-url URL", "-auth-token TOKEN", "$MCP_AUTH_TOKEN", "-json"}, nil},
		{"call --help", []string{"call", "--help"}, 0, nil, []string{"mcptest call [flags] TOOL"}},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`}},
		{"unknown flag", []string{"list", "--nope"}, 2, nil, []string{"-nope"}},
		{"no server", []string{"list"}, 2, nil, []string{"no server"}},
		{"two servers", []string{"list", "--url", "http://127.0.0.1:1/mcp", "--", sleepBin}, 2, nil, []string{"two servers"}},
		{"list argument", []string{"list", sleepBin}, 2, nil, []string{"is the server command after --?"}},
		{"call without tool", []string{"call", "--", sleepBin}, 2, nil, []string{"want TOOL"}},
		{"arguments without tool", []string{"call", `{"seconds":1}`, "--", sleepBin}, 2, nil, []string{"is not a tool name"}},
		{"bad JSON", []string{"call", "sleep", "{seconds:1}", "--", sleepBin}, 2, nil, []string{"want a JSON object"}},
		{"JSON not an object", []string{"call", "sleep", "[1]", "--", sleepBin}, 2, nil, []string{"want a JSON object"}},
		{"bad env", []string{"list", "--env", "A", "--", sleepBin}, 2, nil, []string{"want K=V"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mcptest(t, tt.args...).check(t, tt.code, tt.stdout, tt.stderr)
		})
	}
}
