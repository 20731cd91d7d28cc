package conform

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/owulveryck/gomcptest/fakes/mcpservers"
	"github.com/owulveryck/gomcptest/harness/target"
)

// wantResult fails the test unless the report has the check with the
// status, and its reason or a finding contains what.
func wantResult(t *testing.T, rep *Report, id string, status Status, what string) {
	t.Helper()
	res := rep.Result(id)
	if res == nil {
		t.Fatalf("no result for %s", id)
	}
	text := res.Reason
	for _, f := range res.Findings {
		text += "\n" + f.Message
	}
	if res.Status != status || !strings.Contains(text, what) {
		t.Errorf("%s: %s %q, want %s with %q", id, res.Status, text, status, what)
	}
}

// A run that ends early returns the report so far: what ran stands, the
// rest is not run and says why.
func TestCheckEndsEarly(t *testing.T) {
	t.Run("time runs out", func(t *testing.T) {
		// The run ends while the server holds prompts/get: the test
		// cancels it on seeing the request, so nothing depends on timing.
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		d, _ := mcpservers.Lookup(mcpservers.Correct)
		h := d.Handler()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Mcp-Method") == "prompts/get" {
				cancel()
				// Read the body, or the server would not see the client go.
				io.Copy(io.Discard, r.Body)
				<-r.Context().Done()
				return
			}
			h.ServeHTTP(w, r)
		}))
		defer srv.Close()
		defer srv.CloseClientConnections()
		rep, err := Check(ctx, target.Target{URL: srv.URL}, &Options{Timeout: time.Minute})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Check = %v, want %v", err, context.Canceled)
		}
		if rep == nil || rep.Complete() || rep.Error == "" {
			t.Fatalf("Check returned %+v, want an incomplete report that says why", rep)
		}
		wantResult(t, rep, "lifecycle-ping", Pass, "")
		wantResult(t, rep, "prompts", NotRun, "the run ended during it")
		wantResult(t, rep, "http-origin", NotRun, "the run ended before it")
	})
	t.Run("the server exits", func(t *testing.T) {
		d, _ := mcpservers.Lookup("crashes")
		rep, err := Check(t.Context(), zooTarget(t, d), &Options{Timeout: time.Minute})
		if !errors.Is(err, ErrExited) {
			t.Fatalf("Check = %v, want %v", err, ErrExited)
		}
		wantResult(t, rep, "lifecycle-ping", Pass, "")
		wantResult(t, rep, "logging-set-level", Fail, "the server exited during this check: exit status 1")
		wantResult(t, rep, "resources", NotRun, "the server exited during logging-set-level")
		// Checks on connections of their own still run.
		wantResult(t, rep, "stdio-purity", Pass, "")
		if !strings.Contains(rep.Stderr, "zoo: crashed on logging/setLevel") {
			t.Errorf("the report's stderr is %q, want the server's last words", rep.Stderr)
		}
	})
	t.Run("the server cannot start", func(t *testing.T) {
		d, _ := mcpservers.Lookup("fails-to-start")
		rep, err := Check(t.Context(), zooTarget(t, d), &Options{Timeout: time.Minute})
		if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "the server exited (exit status 1)") {
			t.Fatalf("Check = %v, want %v saying the server exited", err, ErrUnreachable)
		}
		if n := rep.Count(NotRun); n != len(rep.Results) || n == 0 {
			t.Errorf("%d of %d checks not run, want all", n, len(rep.Results))
		}
		if !strings.Contains(rep.Stderr, "cannot start: no configuration") {
			t.Errorf("the report's stderr is %q, want the server's last words", rep.Stderr)
		}
	})
}

// An exchange the server holds open is cut at its deadline, with a
// finding that says so, and the run goes on.
func TestHeldExchange(t *testing.T) {
	for _, name := range []string{"holds-post", "holds-stream"} {
		t.Run(name, func(t *testing.T) {
			d, _ := mcpservers.Lookup(name)
			rep, err := Check(t.Context(), zooTarget(t, d), &Options{Only: []string{"resources", "prompts"}, Timeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			wantResult(t, rep, "resources", Fail, "resources/templates/list: ")
			wantResult(t, rep, "resources", Fail, "the server sent nothing on the HTTP exchange for 200ms, and the checker cut it")
			wantResult(t, rep, "prompts", Pass, "")
		})
	}
}

func TestTail(t *testing.T) {
	tests := []struct {
		name         string
		writes       []string
		bytes, lines int
		want         string
	}{
		{"all", []string{"a\n", "b\n"}, 100, 10, "a\nb\n"},
		{"last lines", []string{"a\nb\n", "c\nd"}, 100, 2, "[4 bytes before]\nc\nd"},
		{"last bytes", []string{"0123456789"}, 4, 10, "[6 bytes before]\n6789"},
		{"a long line", []string{"a\n", strings.Repeat("x", 8) + "\n"}, 6, 10, "[5 bytes before]\nxxxxx\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := newTail(tt.bytes, tt.lines)
			for _, w := range tt.writes {
				tl.Write([]byte(w))
			}
			if got := tl.String(); got != tt.want {
				t.Errorf("tail = %q, want %q", got, tt.want)
			}
		})
	}
}

// An in-process server that panics is a server that exited, not a
// crashed test binary.
func TestInProcessPanics(t *testing.T) {
	boom := func() *mcp.Server { panic("boom") }
	rep, err := Check(t.Context(), target.Server(boom), &Options{Timeout: time.Minute})
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "the server exited (panic: boom)") {
		t.Fatalf("Check = %v, want %v saying the server panicked", err, ErrUnreachable)
	}
	if n := rep.Count(NotRun); n != len(rep.Results) || n == 0 {
		t.Errorf("%d of %d checks not run, want all", n, len(rep.Results))
	}
}
