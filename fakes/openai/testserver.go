package fakeopenai

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestServer is a Server on an httptest server bound to 127.0.0.1, for
// tests.
type TestServer struct {
	*Server
	// URL is the base URL to give a client: http://127.0.0.1:PORT/v1.
	URL string

	mu       sync.Mutex
	requests []*ChatRequest
}

// NewTestServer starts a server answering with the turns of sc. It fails
// the test (tb.Errorf) on a request the scenario does not expect and, when
// the test ends, on turns never used. opts may be nil; its OnRequest and
// Logger are replaced. The server is closed in tb.Cleanup.
func NewTestServer(tb testing.TB, sc *Scenario, opts *Options) *TestServer {
	tb.Helper()
	script := NewScript(sc)
	ts := newTestServer(tb, ResponderFunc(func(ctx context.Context, req *ChatRequest) (*Turn, error) {
		t, err := script.Respond(ctx, req)
		if err != nil {
			tb.Errorf("%v", err)
		}
		return t, err
	}), opts)
	tb.Cleanup(func() {
		if unused := script.Unused(); len(unused) > 0 {
			tb.Errorf("fakeopenai: scripted turns never used:\n\t%s", strings.Join(unused, "\n\t"))
		}
	})
	return ts
}

// NewTestResponder starts a server answering with r, such as Echo.
func NewTestResponder(tb testing.TB, r Responder, opts *Options) *TestServer {
	tb.Helper()
	return newTestServer(tb, r, opts)
}

func newTestServer(tb testing.TB, r Responder, opts *Options) *TestServer {
	ts := &TestServer{}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(tbWriter{tb}, nil))
	}
	o.OnRequest = func(r *ChatRequest) {
		ts.mu.Lock()
		ts.requests = append(ts.requests, r)
		ts.mu.Unlock()
	}
	ts.Server = New(r, &o)
	srv := httptest.NewServer(ts.Server)
	ts.URL = srv.URL + "/v1"
	tb.Cleanup(srv.Close)
	return ts
}

// Requests returns the requests that passed validation, in order.
func (ts *TestServer) Requests() []*ChatRequest {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]*ChatRequest(nil), ts.requests...)
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Logf("fakeopenai: %s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
