package toolboxclient

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/owulveryck/gomcptest/fakes/mcpservers/everything"
)

// newServer serves the everything fixture over streamable HTTP and returns
// its URL.
func newServer(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(everything.Handler(everything.New(nil), nil))
	t.Cleanup(ts.Close)
	return ts.URL + everything.Path
}

func TestRun(t *testing.T) {
	url := newServer(t)
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    []string // lines stdout must contain
		wantStderr string
	}{
		{name: "list", args: []string{url}, wantOut: []string{
			"test_simple_text\tReturns one text item", "test_error_handling\tAlways fails with isError",
		}},
		{name: "call", args: []string{"-call", "test_simple_text", url},
			wantOut: []string{"This is a simple text response for testing."}},
		{name: "call with arguments", args: []string{"-call", "json_schema_2020_12_tool", "-args", `{"name":"x"}`, url},
			wantOut: []string{`called with: {"name":"x"}`}},
		{name: "media", args: []string{"-call", "test_multiple_content_types", url},
			wantOut: []string{"This is text content", "[image image/png, 70 bytes]", "[resource test://mixed-content-resource]"}},
		{name: "tool error", args: []string{"-call", "test_error_handling", url}, wantCode: 1,
			wantOut: []string{"this tool intentionally returns an error"}, wantStderr: `tool "test_error_handling" failed`},
		{name: "unknown tool", args: []string{"-call", "nope", url}, wantCode: 1, wantStderr: `unknown tool "nope"`},
		{name: "no server", args: []string{"-call", "x"}, wantCode: 2, wantStderr: "usage:"},
		{name: "bad args", args: []string{"-call", "x", "-args", "{", url}, wantCode: 2, wantStderr: "not valid JSON"},
		{name: "unreachable", args: []string{"-timeout", "5s", "http://127.0.0.1:1/mcp"}, wantCode: 1, wantStderr: "toolboxclient:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, &stderr)
			}
			lines := strings.Split(stdout.String(), "\n")
			for _, w := range tt.wantOut {
				if !contains(lines, w) {
					t.Errorf("stdout lacks the line %q:\n%s", w, &stdout)
				}
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantStderr, &stderr)
			}
		})
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}
