package target

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// With TARGET_TEST_SERVER=1 the test binary is an MCP server over stdio
// whose tool "where" reports its working directory and $GREETING, so that
// tests can see what a Target passed to the command.
func TestMain(m *testing.M) {
	if os.Getenv("TARGET_TEST_SERVER") == "1" {
		if err := newServer().Run(context.Background(), &mcp.StdioTransport{}); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func newServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "where", Version: "v0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "where", Description: "reports the directory and $GREETING"},
		func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
			dir, err := os.Getwd()
			if err != nil {
				return nil, nil, err
			}
			text := dir + " " + os.Getenv("GREETING")
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil, nil
		})
	return s
}

func self(t *testing.T) []string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return []string{exe}
}

func where(t *testing.T, tgt Target) string {
	t.Helper()
	cs, err := Connect(t.Context(), tgt, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "where"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Content[0].(*mcp.TextContent).Text
}

func TestCommandEnvAndDir(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got := where(t, Target{
		Command: self(t),
		Env:     []string{"TARGET_TEST_SERVER=1", "GREETING=first", "GREETING=hello"},
		Dir:     dir,
	})
	if want := dir + " hello"; got != want {
		t.Errorf("where = %q, want %q", got, want)
	}
}

func TestURL(t *testing.T) {
	s := newServer()
	srv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil))
	defer srv.Close()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// Served in this process: its directory and environment.
	if got, want := where(t, Target{URL: srv.URL}), wd+" "+os.Getenv("GREETING"); got != want {
		t.Errorf("where = %q, want %q", got, want)
	}
}

// An in-process server and a handler are reached like the others; each
// connection to an in-process server gets a server of its own (how often
// a handler builds one is its own business).
func TestInProcess(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	want := wd + " " + os.Getenv("GREETING")
	built := 0
	count := func() *mcp.Server { built++; return newServer() }
	for _, tgt := range []Target{
		Server(count),
		Handler(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return count() }, nil)),
	} {
		t.Run(tgt.String(), func(t *testing.T) {
			built = 0
			for range 2 {
				if got := where(t, tgt); got != want {
					t.Errorf("where = %q, want %q", got, want)
				}
			}
			if tgt.NewServer != nil && built != 2 {
				t.Errorf("%d servers built for two connections, want 2", built)
			}
		})
	}
}

func TestURLAuthToken(t *testing.T) {
	s := newServer()
	mcpHandler := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		mcpHandler.ServeHTTP(w, r)
	}))
	defer srv.Close()
	where(t, Target{URL: srv.URL, AuthToken: "s3cret"})
	if cs, err := Connect(t.Context(), Target{URL: srv.URL}, nil); err == nil {
		cs.Close()
		t.Error("Connect without the token succeeded, want 401")
	}
	// The client for a target's other requests sends the token too.
	resp, err := Target{URL: srv.URL, AuthToken: "s3cret"}.HTTPClient().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		t.Error("HTTPClient did not send the token")
	}
}

func TestConnectFails(t *testing.T) {
	tests := []struct {
		name string
		tgt  Target
		want string
	}{
		{"missing program", Target{Command: []string{"/does/not/exist"}}, "/does/not/exist"},
		{"not a server", Target{Command: []string{"true"}}, "connecting to true"},
		{"missing dir", Target{Command: self(t), Dir: "/does/not/exist"}, "/does/not/exist"},
		{"no server", Target{}, "no server"},
		{"two servers", Target{Command: []string{"x"}, URL: "http://127.0.0.1:1/mcp"}, "two servers"},
		{"env on URL", Target{URL: "http://127.0.0.1:1/mcp", Env: []string{"A=b"}}, "--env and --dir apply to a command"},
		{"bad env", Target{Command: []string{"x"}, Env: []string{"novalue"}}, `"novalue": want KEY=VALUE`},
		{"bad URL", Target{URL: "127.0.0.1:1"}, "want http:// or https://"},
		{"token on command", Target{Command: []string{"x"}, AuthToken: "t"}, "--auth-token applies to a URL"},
		{"server and handler", Target{NewServer: newServer, Handler: http.NotFoundHandler()}, "set one of Command, URL, NewServer and Handler"},
		{"server and command", Target{NewServer: newServer, Command: []string{"x"}}, "set one of"},
		{"env on server", Target{NewServer: newServer, Env: []string{"A=b"}}, "not to an in-process server"},
		{"nobody listening", Target{URL: "http://127.0.0.1:1/mcp"}, "connecting to http://127.0.0.1:1/mcp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := Connect(t.Context(), tt.tgt, nil)
			if err == nil {
				cs.Close()
				t.Fatal("Connect succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
