// Package testhook holds what the fakes' test servers share: the record of
// the requests a fake accepted, the failure of the test on a refusal the
// scenario did not expect, and the test log as a slog handler's output.
package testhook

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// Watch records a fake's requests, of type R, and reports its refusals,
// errors of type E, to a test. It is safe for concurrent use.
type Watch[R, E any] struct {
	tb       testing.TB
	fake     string                // the fake's name, first in messages
	describe func(E) (int, string) // an error's HTTP status and message
	refused  func(E) (bool, error) // the scenario's verdict on a refusal

	mu       sync.Mutex
	requests []R
}

// New returns a Watch reporting to tb for the fake named fake. describe
// gives a refusal's HTTP status and message; refused, nil when no scenario
// plays, reports whether the scenario expected a refusal, and how the
// refusal differs from the one it expected.
func New[R, E any](tb testing.TB, fake string, describe func(E) (int, string), refused func(E) (bool, error)) *Watch[R, E] {
	return &Watch[R, E]{tb: tb, fake: fake, describe: describe, refused: refused}
}

// OnRequest returns a hook that records a request the fake accepted, then
// calls next when set.
func (w *Watch[R, E]) OnRequest(next func(R)) func(R) {
	return func(r R) {
		w.mu.Lock()
		w.requests = append(w.requests, r)
		w.mu.Unlock()
		if next != nil {
			next(r)
		}
	}
}

// OnReject returns a hook that fails the test on a refusal the scenario
// did not expect, then calls next when set.
func (w *Watch[R, E]) OnReject(next func(*http.Request, E)) func(*http.Request, E) {
	return func(hr *http.Request, e E) {
		expected := false
		if w.refused != nil {
			var err error
			if expected, err = w.refused(e); err != nil {
				w.tb.Errorf("%v", err)
			}
		}
		status, msg := w.describe(e)
		switch {
		case !expected && w.refused != nil:
			w.tb.Errorf("%s: refused %s %s: %d %s\n\t(if the test means it, give the scenario a turn: expect refused %d)", w.fake, hr.Method, hr.URL.Path, status, msg, status)
		case !expected:
			w.tb.Errorf("%s: refused %s %s: %d %s", w.fake, hr.Method, hr.URL.Path, status, msg)
		}
		if next != nil {
			next(hr, e)
		}
	}
}

// Requests returns the requests recorded, in order.
func (w *Watch[R, E]) Requests() []R {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]R(nil), w.requests...)
}

// Unused fails the test on the scenario's turns never used.
func (w *Watch[R, E]) Unused(unused []string) {
	if len(unused) > 0 {
		w.tb.Errorf("%s: scripted turns never used:\n\t%s", w.fake, strings.Join(unused, "\n\t"))
	}
}

// Write logs p, a line of the fake's log, with tb.Logf.
func (w *Watch[R, E]) Write(p []byte) (int, error) {
	w.tb.Logf("%s: %s", w.fake, strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
