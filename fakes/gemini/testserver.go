package fakegemini

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestServer is a Server answering a Scenario on an httptest server bound
// to 127.0.0.1, for tests.
type TestServer struct {
	*Server
	// URL is the base URL to give genai (HTTPOptions.BaseURL).
	URL    string
	script *Script
	srv    *httptest.Server

	mu       sync.Mutex
	requests []*Request
}

// NewTestServer starts a server answering with the turns of sc. It fails
// the test (tb.Errorf) on a request the scenario does not expect (more
// requests than turns, or an unmet expectation), and, when the test ends,
// on turns never used. It logs each request and each rejection with
// tb.Logf and closes the server in tb.Cleanup.
func NewTestServer(tb testing.TB, sc *Scenario) *TestServer {
	tb.Helper()
	ts := &TestServer{script: NewScript(sc)}
	respond := ResponderFunc(func(ctx context.Context, req *Request) (*Turn, error) {
		t, err := ts.script.Respond(ctx, req)
		if err != nil {
			tb.Errorf("%v", err)
		}
		return t, err
	})
	ts.Server = New(respond, &Options{
		Logger: slog.New(slog.NewTextHandler(tbWriter{tb}, nil)),
		OnRequest: func(r *Request) {
			ts.mu.Lock()
			ts.requests = append(ts.requests, r)
			ts.mu.Unlock()
		},
	})
	srv := httptest.NewServer(ts.Server)
	ts.URL, ts.srv = srv.URL, srv
	tb.Cleanup(func() {
		srv.Close()
		if unused := ts.script.Unused(); len(unused) > 0 {
			tb.Errorf("fakegemini: scripted turns never used:\n\t%s", strings.Join(unused, "\n\t"))
		}
	})
	return ts
}

// HTTPClient returns a client for the server; handing it to genai also
// keeps genai from looking for Application Default Credentials.
func (ts *TestServer) HTTPClient() *http.Client {
	return ts.srv.Client()
}

// Requests returns the requests that passed validation, in order.
func (ts *TestServer) Requests() []*Request {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]*Request(nil), ts.requests...)
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Logf("fakegemini: %s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
