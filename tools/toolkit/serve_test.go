package toolkit

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/owulveryck/gomcptest/internal/syncbuf"
)

// These tests run a program with -http through Run, as a user runs a tool
// binary, and talk to it as MCP clients and as raw HTTP.

// initializeBody opens a session at the protocol revision our stateful
// server speaks.
const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}`

// A sessionTracker is a tool with per-session state, as Bash keeps a shell
// per session: it learns of a session at its first call, and of its end
// through ServerSession.Wait, which is how a tool releases what it holds.
type sessionTracker struct {
	mu    sync.Mutex
	ended map[string]chan struct{} // by session id; closed when it ends
}

func newSessionTracker() *sessionTracker {
	return &sessionTracker{ended: make(map[string]chan struct{})}
}

// program is a Program whose tool "whoami" answers the session id, and
// whose Register lets extra add routes.
func (tr *sessionTracker) program(extra func(cfg Config)) Program {
	return Program{
		Name:    "tracker",
		Summary: "keeps state per session",
		Register: func(_ context.Context, s *mcp.Server, cfg Config) error {
			mcp.AddTool(s, &mcp.Tool{Name: "whoami", Description: "answers the session id"},
				func(_ context.Context, req *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
					ss := req.Session
					tr.mu.Lock()
					if _, ok := tr.ended[ss.ID()]; !ok {
						done := make(chan struct{})
						tr.ended[ss.ID()] = done
						go func() { ss.Wait(); close(done) }()
					}
					tr.mu.Unlock()
					return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: ss.ID()}}}, nil, nil
				})
			if extra != nil {
				extra(cfg)
			}
			return nil
		},
	}
}

// waitEnded waits until the tool has seen the session id end.
func (tr *sessionTracker) waitEnded(t *testing.T, id string) {
	t.Helper()
	tr.mu.Lock()
	done, ok := tr.ended[id]
	tr.mu.Unlock()
	if !ok {
		t.Fatalf("the tool never saw session %s", id)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("the tool still holds the state of session %s", id)
	}
}

// A running is a program served by Run over HTTP.
type running struct {
	url  string // the MCP endpoint
	log  *syncbuf.Buffer
	stop func() // cancels Run and waits for it to return nil; once
}

// startHTTP runs p with -http 127.0.0.1:0 and args until the test ends.
func startHTTP(t *testing.T, p Program, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderrR, stderrW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, p, append([]string{"-http", "127.0.0.1:0"}, args...),
			IO{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderrW})
		stderrW.Close()
	}()
	r := &running{log: &syncbuf.Buffer{}}
	urls := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`url=(http://\S+)`)
		sc := bufio.NewScanner(stderrR)
		for sc.Scan() {
			r.log.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	select {
	case r.url = <-urls:
	case err := <-done:
		cancel()
		t.Fatalf("Run(%q) = %v before serving; log:\n%s", args, err, r.log)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("the server did not log its URL")
	}
	r.stop = sync.OnceFunc(func() {
		cancel()
		if err := wait(t, done); err != nil {
			t.Errorf("Run after cancel: %v, want nil", err)
		}
	})
	t.Cleanup(func() {
		r.stop()
		if t.Failed() {
			t.Logf("server log:\n%s", r.log)
		}
	})
	return r
}

// bearer adds an Authorization header to every request.
type bearer struct{ token string }

func (b bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(req)
}

// connectClient opens an MCP session to url, sending token when not empty.
func connectClient(ctx context.Context, url, token string) (*mcp.ClientSession, error) {
	transport := &mcp.StreamableClientTransport{Endpoint: url, MaxRetries: -1}
	if token != "" {
		transport.HTTPClient = &http.Client{Transport: bearer{token}}
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	return client.Connect(ctx, transport, nil)
}

// mustConnect opens a session that the test closes at its end.
func mustConnect(t *testing.T, url, token string) *mcp.ClientSession {
	t.Helper()
	cs, err := connectClient(t.Context(), url, token)
	if err != nil {
		t.Fatalf("connecting to %s: %v", url, err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// whoami calls the tracker's tool, which also makes the tool hold state
// for the session.
func whoami(t *testing.T, cs *mcp.ClientSession) string {
	t.Helper()
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "whoami"})
	if err != nil {
		t.Fatalf("calling whoami: %v", err)
	}
	return res.Content[0].(*mcp.TextContent).Text
}

// post sends one JSON-RPC message to url with the given headers, and
// returns the response with its body read.
func post(t *testing.T, url, body string, headers map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(data)
}

func TestHTTPAuthToken(t *testing.T) {
	tr := newSessionTracker()
	files := func(cfg Config) {
		cfg.Routes.HandleFunc("GET /files/", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "private") })
	}
	srv := startHTTP(t, tr.program(files), "-auth-token", "s3cret")
	base := strings.TrimSuffix(srv.url, Path)

	tests := []struct {
		name          string
		authorization string // "" sends none
		want          int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"wrong token", "Bearer s3cre", http.StatusUnauthorized},
		{"longer token", "Bearer s3cret2", http.StatusUnauthorized},
		{"other scheme", "Basic s3cret", http.StatusUnauthorized},
		{"right token", "Bearer s3cret", http.StatusOK},
		{"scheme in any case", "bearer s3cret", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{}
			if tt.authorization != "" {
				headers["Authorization"] = tt.authorization
			}
			resp, body := post(t, srv.url, initializeBody, headers)
			if resp.StatusCode != tt.want {
				t.Fatalf("POST %s: status = %d, want %d; body: %s", Path, resp.StatusCode, tt.want, body)
			}
			if tt.want != http.StatusUnauthorized {
				return
			}
			if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
			}
			if strings.Contains(body, "s3cret") {
				t.Errorf("the refusal shows the token: %s", body)
			}
		})
	}

	t.Run("routes", func(t *testing.T) {
		for _, tt := range []struct {
			token string
			want  int
		}{{"", http.StatusUnauthorized}, {"nope", http.StatusUnauthorized}, {"s3cret", http.StatusOK}} {
			req, _ := http.NewRequestWithContext(t.Context(), "GET", base+"/files/a.png", nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("GET /files/a.png with token %q: status = %d, want %d", tt.token, resp.StatusCode, tt.want)
			}
		}
	})

	t.Run("client", func(t *testing.T) {
		_, err := connectClient(t.Context(), srv.url, "")
		if err == nil || !strings.Contains(err.Error(), "bearer token") {
			t.Errorf("connecting without the token: %v, want an error that asks for a bearer token", err)
		}
		cs := mustConnect(t, srv.url, "s3cret")
		if id := whoami(t, cs); id == "" {
			t.Error("whoami with the token answered no session id")
		}
	})
}

func TestHTTPAuthTokenFromEnvironment(t *testing.T) {
	tr := newSessionTracker()
	t.Setenv("MCP_AUTH_TOKEN", "from-env")

	t.Run("environment", func(t *testing.T) {
		srv := startHTTP(t, tr.program(nil))
		if resp, body := post(t, srv.url, initializeBody, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("no token: status = %d, want 401; body: %s", resp.StatusCode, body)
		}
		whoami(t, mustConnect(t, srv.url, "from-env"))
	})
	t.Run("the flag wins", func(t *testing.T) {
		srv := startHTTP(t, tr.program(nil), "-auth-token", "from-flag")
		if _, err := connectClient(t.Context(), srv.url, "from-env"); err == nil {
			t.Error("the environment's token opened a session, want it refused when -auth-token is given")
		}
		whoami(t, mustConnect(t, srv.url, "from-flag"))
	})
}

func TestHTTPSessionCap(t *testing.T) {
	tr := newSessionTracker()
	srv := startHTTP(t, tr.program(nil), "-max-sessions", "2")

	first := mustConnect(t, srv.url, "")
	second := mustConnect(t, srv.url, "")
	// The server is stateful, so even the SDK's newest client settles on a
	// revision with sessions: the cap counts what holds state.
	if v := first.InitializeResult().ProtocolVersion; v != "2025-11-25" {
		t.Errorf("negotiated protocol %s, want 2025-11-25", v)
	}
	firstID := whoami(t, first)
	whoami(t, second)

	// A third session is refused, saying why and what raises the cap.
	resp, body := post(t, srv.url, initializeBody, nil)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third session: status = %d, want 503; body: %s", resp.StatusCode, body)
	}
	for _, want := range []string{"at most 2 live", "-max-sessions"} {
		if !strings.Contains(body, want) {
			t.Errorf("the refusal lacks %q: %s", want, body)
		}
	}
	if _, err := connectClient(t.Context(), srv.url, ""); err == nil {
		t.Error("a client opened a third session past -max-sessions 2")
	}
	if got := strings.Count(srv.log.String(), "raise it with -max-sessions"); got != 1 {
		t.Errorf("the log says %d times that the cap is reached, want once:\n%s", got, srv.log)
	}

	// Sessions already open go on.
	whoami(t, first)
	whoami(t, second)

	// Closing one (DELETE) frees its place at once, and its state.
	if err := first.Close(); err != nil {
		t.Fatalf("closing a session: %v", err)
	}
	tr.waitEnded(t, firstID)
	third := mustConnect(t, srv.url, "")
	whoami(t, third)
	if resp, body := post(t, srv.url, initializeBody, nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("past the cap again: status = %d, want 503; body: %s", resp.StatusCode, body)
	}
}

func TestHTTPSessionCapCountsOnlySessions(t *testing.T) {
	tr := newSessionTracker()
	srv := startHTTP(t, tr.program(nil), "-max-sessions", "1")
	whoami(t, mustConnect(t, srv.url, ""))

	// At the cap, requests that open no session are still answered: a ping,
	// and server/discover, with which the stateless 2026-07-28 revision
	// starts.
	ping := `{"jsonrpc":"2.0","id":1,"method":"ping"}`
	if resp, body := post(t, srv.url, ping, nil); resp.StatusCode == http.StatusServiceUnavailable {
		t.Errorf("ping without a session: 503: %s", body)
	}
	stateless := func(method, name string) map[string]string {
		h := map[string]string{"Mcp-Protocol-Version": "2026-07-28", "Mcp-Method": method}
		if name != "" {
			h["Mcp-Name"] = name
		}
		return h
	}
	meta := `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"0"},"io.modelcontextprotocol/clientCapabilities":{}}`
	discover := `{"jsonrpc":"2.0","id":2,"method":"server/discover","params":{` + meta + `}}`
	if resp, body := post(t, srv.url, discover, stateless("server/discover", "")); resp.StatusCode != http.StatusOK {
		t.Errorf("discover at the cap: status = %d, want 200; body: %s", resp.StatusCode, body)
	}

	// A stateless call would run its tool in a session of its own, past
	// the cap: the stateful server refuses it, and nothing runs.
	call := `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"whoami","arguments":{},` + meta + `}}`
	if resp, body := post(t, srv.url, call, stateless("tools/call", "whoami")); resp.StatusCode == http.StatusOK || !strings.Contains(body, "not supported by this server") {
		t.Errorf("stateless tools/call: status %d, want the revision refused; body: %s", resp.StatusCode, body)
	}
	tr.mu.Lock()
	seen := len(tr.ended)
	tr.mu.Unlock()
	if seen != 1 {
		t.Errorf("the tool ran in %d sessions, want 1 (the client's)", seen)
	}

	// Initialize in a batch opens a session too, and is refused past the
	// cap like one alone.
	if resp, body := post(t, srv.url, "["+initializeBody+"]", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("batched initialize past the cap: status = %d, want 503; body: %s", resp.StatusCode, body)
	}
}

func TestHTTPSessionIdle(t *testing.T) {
	tr := newSessionTracker()
	srv := startHTTP(t, tr.program(nil), "-session-idle", "200ms", "-max-sessions", "1")

	cs := mustConnect(t, srv.url, "")
	id := whoami(t, cs)
	// Left idle, the session ends, and the tool learns of it.
	tr.waitEnded(t, id)
	ping := `{"jsonrpc":"2.0","id":7,"method":"ping"}`
	if resp, body := post(t, srv.url, ping, map[string]string{"Mcp-Session-Id": id, "Mcp-Protocol-Version": "2025-11-25"}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("request in the expired session: status = %d, want 404; body: %s", resp.StatusCode, body)
	}
	// Its place under the cap is free again.
	deadline := time.Now().Add(10 * time.Second)
	for {
		cs, err := connectClient(t.Context(), srv.url, "")
		if err == nil {
			whoami(t, cs)
			cs.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new session after the idle one expired: %v", err)
		}
		time.Sleep(10 * time.Millisecond) // poll interval, not a wait for an event
	}
}

func TestHTTPShutdownEndsSessions(t *testing.T) {
	tr := newSessionTracker()
	srv := startHTTP(t, tr.program(nil))
	id := whoami(t, mustConnect(t, srv.url, ""))
	srv.stop()
	tr.waitEnded(t, id)
}

func TestHTTPWarnsWithoutTokenBeyondLoopback(t *testing.T) {
	tests := []struct {
		addr  string
		token string
		warn  bool
	}{
		{"0.0.0.0:8080", "", true},
		{"192.0.2.1:8080", "", true},
		{"[::]:8080", "", true},
		{"0.0.0.0:8080", "t", false},
		{"127.0.0.1:8080", "", false},
		{"[::1]:8080", "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s token=%q", tt.addr, tt.token), func(t *testing.T) {
			var log syncbuf.Buffer
			warnExposed(loggerTo(&log), tt.addr, tt.token)
			if got := strings.Contains(log.String(), "-auth-token"); got != tt.warn {
				t.Errorf("warned = %v, want %v; log:\n%s", got, tt.warn, log.String())
			}
		})
	}
}

func loggerTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
