package toolkit

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// configProgram has one tool, config, that reports the Config it was
// registered with, so a test sees what the flags produced.
func configProgram() Program {
	return Program{
		Name:    "probe",
		Summary: "reports its configuration",
		Example: Example{Tool: "config", Arguments: `{}`},
		Register: func(_ context.Context, s *mcp.Server, cfg Config) error {
			mcp.AddTool(s, &mcp.Tool{Name: "config", Description: "reports the configuration"},
				func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
					text := fmt.Sprintf("max-output=%d roots=%v", cfg.MaxOutput, cfg.Policy.Roots())
					return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil, nil
				})
			return nil
		},
	}
}

func callConfig(ctx context.Context, t *testing.T, transport mcp.Transport) string {
	t.Helper()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	cs, err := client.Connect(ctx, transport, nil)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "config"})
	if err != nil {
		t.Fatalf("calling config: %v", err)
	}
	return res.Content[0].(*mcp.TextContent).Text
}

// wait returns the error Run sent on done, failing the test if Run does not
// return within a generous deadline.
func wait(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

func TestRunStdio(t *testing.T) {
	ctx := t.Context()
	root := t.TempDir()
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, configProgram(), []string{"-max-output", "7", "-root", root},
			IO{Stdin: stdinR, Stdout: stdoutW, Stderr: io.Discard})
	}()

	// Closing the client closes the server's stdin, which must end Run.
	got := callConfig(ctx, t, &mcp.IOTransport{Reader: stdoutR, Writer: stdinW})
	if want := fmt.Sprintf("max-output=7 roots=[%s]", root); got != want {
		t.Errorf("config = %q, want %q", got, want)
	}
	if err := wait(t, done); err != nil {
		t.Errorf("Run after stdin closed: %v, want nil", err)
	}
}

// TestRunClose: Program.Close runs once serving ended, and its error is
// Run's.
func TestRunClose(t *testing.T) {
	p := configProgram()
	closed := 0
	p.Close = func() error {
		closed++
		return errors.New("a connection would not close")
	}
	stdinR, stdinW := io.Pipe()
	stdinW.Close() // the client is gone at once
	err := Run(t.Context(), p, nil, IO{Stdin: stdinR, Stdout: io.Discard, Stderr: io.Discard})
	if closed != 1 || err == nil || err.Error() != "closing the tools: a connection would not close" {
		t.Errorf("Close ran %d times, Run = %v", closed, err)
	}
}

func TestRunHTTP(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stderrR, stderrW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, configProgram(), []string{"-http", "127.0.0.1:0"},
			IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderrW})
		stderrW.Close()
	}()
	url := servedURL(t, stderrR)

	got := callConfig(ctx, t, &mcp.StreamableClientTransport{Endpoint: url})
	if want := fmt.Sprintf("max-output=%d roots=[]", DefaultMaxOutput); got != want {
		t.Errorf("config = %q, want %q", got, want)
	}
	cancel()
	if err := wait(t, done); err != nil {
		t.Errorf("Run after cancel: %v, want nil", err)
	}
}

// servedURL reads the log until the line that gives the URL, and keeps
// draining it so that the server never blocks on stderr.
func servedURL(t *testing.T, stderr io.Reader) string {
	t.Helper()
	urls := make(chan string, 1)
	re := regexp.MustCompile(`url=(http://\S+)`)
	go func() {
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
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not log its URL")
		return ""
	}
}

func TestHandlerRefusesRebinding(t *testing.T) {
	s := mcp.NewServer(&mcp.Implementation{Name: "probe", Version: "v0"}, nil)
	srv := httptest.NewServer(Handler(s, nil))
	defer srv.Close()
	initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}`

	tests := []struct {
		name    string
		path    string
		headers map[string]string
		want    int
	}{
		{"plain client", Path, nil, http.StatusOK},
		{"same origin", Path, map[string]string{"Origin": srv.URL}, http.StatusOK},
		{"foreign host", Path, map[string]string{"Host": "evil.example"}, http.StatusForbidden},
		{"foreign origin", Path, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"cross-site fetch", Path, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"other path", "/", nil, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), "POST", srv.URL+tt.path, strings.NewReader(initialize))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			if host, ok := tt.headers["Host"]; ok {
				req.Host = host
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr error
		output  []string // substrings of stderr
	}{
		{"help", []string{"-help"}, flag.ErrHelp, []string{
			"probe: an MCP server that reports its configuration",
			"-http ADDR", "-root DIR", "-max-output N", "-log-level LEVEL",
			"-auth-token TOKEN", "$MCP_AUTH_TOKEN, which keeps the token out of ps",
			"-max-sessions N", "(default 32)", "-session-idle DURATION", "(default 10m0s)",
			`openaiserver -mcpservers "/path/to/probe"`,
			"mcptest call config '{}' -- /path/to/probe",
			"mcptest list --url http://127.0.0.1:8081/mcp",
		}},
		{"unknown flag", []string{"-nope"}, errUsage, []string{"flag provided but not defined: -nope"}},
		{"argument", []string{"extra"}, errUsage, []string{`unexpected argument "extra"`}},
		{"missing root", []string{"-root", "/does/not/exist"}, errUsage, []string{"-root: root /does/not/exist"}},
		{"bad log level", []string{"-log-level", "loud"}, errUsage, []string{"-log-level"}},
		{"negative session cap", []string{"-max-sessions", "-1"}, errUsage, []string{"-max-sessions -1: want 0 (no cap) or more"}},
		{"negative idle timeout", []string{"-session-idle", "-1s"}, errUsage, []string{"-session-idle -1s: want 0 (never) or more"}},
		{"token with a space", []string{"-auth-token", "two words"}, errUsage, []string{"-auth-token: the token must not contain spaces"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			err := Run(t.Context(), configProgram(), tt.args, IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Run(%q) = %v, want %v", tt.args, err, tt.wantErr)
			}
			for _, want := range tt.output {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
		})
	}
}
