package fakeopenai

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/owulveryck/gomcptest/fakes/internal/testhook"
)

// An Option configures a TestServer: it sets fields of the server's
// Options. NewTestServer and NewTestResponder apply options in order and
// skip nil ones.
type Option func(*Options)

// WithAPIKey makes key the only bearer token the server accepts.
func WithAPIKey(key string) Option { return func(o *Options) { o.APIKey = key } }

// WithModels makes ids the models the server serves.
func WithModels(ids ...string) Option { return func(o *Options) { o.Models = ids } }

// WithLogger sends the server's log to l instead of the test's log.
func WithLogger(l *slog.Logger) Option { return func(o *Options) { o.Logger = l } }

// TestServer is a Server on an httptest server bound to 127.0.0.1, for
// tests.
type TestServer struct {
	*Server
	// URL is the base URL to give a client: http://127.0.0.1:PORT/v1.
	URL string

	srv   *httptest.Server
	watch *testhook.Watch[*ChatRequest, *Error]
}

// NewTestServer starts a server answering with the turns of sc. It fails
// the test (tb.Errorf, at once) on a request the scenario does not expect
// (more requests than turns, an unmet expectation) and on a request the
// server refuses, unless the next turn expects that refusal (expect
// refused); when the test ends, it fails it on turns never used. It logs to
// tb.Logf and closes the server in tb.Cleanup. A Turn that is no answer
// OpenAI gives (an unknown finish reason, say) fails the test at once.
func NewTestServer(tb testing.TB, sc *Scenario, opts ...Option) *TestServer {
	tb.Helper()
	script := NewScript(sc)
	ts := newTestServer(tb, ResponderFunc(func(ctx context.Context, req *ChatRequest) (*Turn, error) {
		t, err := script.Respond(ctx, req)
		if e := (*Error)(nil); errors.As(err, &e) {
			tb.Errorf("%s", e.Message)
		}
		return t, err
	}), script, opts)
	tb.Cleanup(func() {
		ts.srv.Close()
		ts.watch.Unused(script.Unused())
	})
	return ts
}

// NewTestResponder starts a server answering with r, such as Echo. Like
// NewTestServer, it fails the test on a request the server refuses; to
// test a client against a refusal, script it with expect refused.
func NewTestResponder(tb testing.TB, r Responder, opts ...Option) *TestServer {
	tb.Helper()
	ts := newTestServer(tb, r, nil, opts)
	tb.Cleanup(ts.srv.Close)
	return ts
}

// newTestServer starts a server answering with r; script, when set, is
// told of refusals.
func newTestServer(tb testing.TB, r Responder, script *Script, opts []Option) *TestServer {
	var refused func(*Error) (bool, error)
	if script != nil {
		refused = script.refused
	}
	ts := &TestServer{watch: testhook.New[*ChatRequest](tb, "fakeopenai", func(e *Error) (int, string) { return e.Status, e.Message }, refused)}
	o := Options{Logger: slog.New(slog.NewTextHandler(ts.watch, nil))}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	o.OnRequest, o.OnReject = ts.watch.OnRequest(o.OnRequest), ts.watch.OnReject(o.OnReject)
	ts.Server = New(ResponderFunc(func(ctx context.Context, req *ChatRequest) (*Turn, error) {
		t, err := r.Respond(ctx, req)
		if err == nil && t != nil {
			if err := t.validate(); err != nil {
				tb.Errorf("fakeopenai: the responder's turn is no answer OpenAI gives: %v", err)
			}
		}
		return t, err
	}), &o)
	ts.srv = httptest.NewServer(ts.Server)
	ts.URL = ts.srv.URL + "/v1"
	return ts
}

// HTTPClient returns a client for the server.
func (ts *TestServer) HTTPClient() *http.Client {
	return ts.srv.Client()
}

// Requests returns the requests that passed validation, in order.
func (ts *TestServer) Requests() []*ChatRequest {
	return ts.watch.Requests()
}
