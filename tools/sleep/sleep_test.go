package sleep

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// connect serves the tool in memory and returns a client session.
// progress, if non-nil, receives every progress notification.
func connect(t *testing.T, opts *Options, mw mcp.Middleware, progress func(*mcp.ProgressNotificationParams)) *mcp.ClientSession {
	t.Helper()
	s := mcp.NewServer(&mcp.Implementation{Name: "sleep", Version: "v0"}, nil)
	Register(s, opts)
	if mw != nil {
		s.AddReceivingMiddleware(mw)
	}
	return tooltest.Connect(t, s, tooltest.OnProgress(progress))
}

func TestSleep(t *testing.T) {
	tests := []struct {
		seconds float64
		want    string
	}{
		{0, "Slept for 0 seconds"},
		{3, "Slept for 3 seconds"},
		{1.5, "Slept for 1.5 seconds"},
		{0.25, "Slept for 0.25 seconds"},
		{600, "Slept for 600 seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cs := connect(t, nil, nil, nil)
				start := time.Now()
				res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "sleep", Arguments: map[string]any{"seconds": tt.seconds}})
				if err != nil {
					t.Fatal(err)
				}
				if res.IsError {
					t.Fatalf("isError result: %s", tooltest.Text(t, res))
				}
				if got := tooltest.Text(t, res); got != tt.want {
					t.Errorf("text = %q, want %q", got, tt.want)
				}
				if diff := cmp.Diff(map[string]any{"slept_seconds": tt.seconds}, res.StructuredContent); diff != "" {
					t.Errorf("structuredContent (-want +got):\n%s", diff)
				}
				if got, want := time.Since(start), time.Duration(tt.seconds*float64(time.Second)); got != want {
					t.Errorf("slept %v, want %v", got, want)
				}
			})
		})
	}
}

func TestSleepOutOfRange(t *testing.T) {
	cs := connect(t, nil, nil, nil)
	for _, seconds := range []float64{-1, 600.5, 1e9} {
		res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "sleep", Arguments: map[string]any{"seconds": seconds}})
		if err != nil {
			t.Fatalf("seconds=%v: protocol error %v, want an isError result", seconds, err)
		}
		if !res.IsError {
			t.Errorf("seconds=%v: result is not an error", seconds)
		}
		if got := tooltest.Text(t, res); !strings.Contains(got, "between 0 and 600") {
			t.Errorf("seconds=%v: error %q does not give the range", seconds, got)
		}
	}
}

func TestSleepMissingSeconds(t *testing.T) {
	cs := connect(t, nil, nil, nil)
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "sleep", Arguments: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError || !strings.Contains(tooltest.Text(t, res), "seconds") {
		t.Errorf("result = %+v, want an isError result naming seconds", res)
	}
}

// TestSleepCancel requests the longest sleep, cancels it once it has
// started, and checks that the server's handler returns, not only the
// client's call.
func TestSleepCancel(t *testing.T) {
	handled := make(chan *mcp.CallToolResult, 1)
	mw := func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			res, err := next(ctx, method, req)
			if method == "tools/call" {
				r, _ := res.(*mcp.CallToolResult)
				handled <- r
			}
			return res, err
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	started := make(chan struct{})
	var once sync.Once
	cs := connect(t, &Options{ProgressInterval: time.Millisecond}, mw, func(*mcp.ProgressNotificationParams) {
		once.Do(func() { close(started) })
	})

	params := &mcp.CallToolParams{Name: "sleep", Arguments: map[string]any{"seconds": MaxSeconds}}
	params.SetProgressToken("cancel-me")
	errc := make(chan error, 1)
	go func() {
		_, err := cs.CallTool(ctx, params)
		errc <- err
	}()
	<-started // the handler is sleeping
	cancel()

	deadline := time.After(30 * time.Second) // far below the 600 s requested
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("CallTool error = %v, want context.Canceled", err)
		}
	case <-deadline:
		t.Fatal("CallTool did not return after cancel")
	}
	select {
	case res := <-handled:
		if res == nil || !res.IsError || !strings.Contains(tooltest.Text(t, res), "sleep interrupted after") {
			t.Errorf("handler result = %+v, want an interrupted error", res)
		}
	case <-deadline:
		t.Fatal("the tool kept sleeping after the call was cancelled")
	}
}

func TestSleepProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			mu  sync.Mutex
			got []*mcp.ProgressNotificationParams
		)
		cs := connect(t, nil, nil, func(p *mcp.ProgressNotificationParams) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, p)
		})
		params := &mcp.CallToolParams{Name: "sleep", Arguments: map[string]any{"seconds": 3.5}}
		params.SetProgressToken("tok")
		if _, err := cs.CallTool(t.Context(), params); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // let notification handlers finish

		mu.Lock()
		defer mu.Unlock()
		var progress []float64
		for _, p := range got {
			if p.ProgressToken != "tok" || p.Total != 3.5 {
				t.Errorf("notification %+v: want token tok and total 3.5", p)
			}
			progress = append(progress, p.Progress)
		}
		// One a second, with fake time exact.
		if want := []float64{1, 2, 3}; !slices.Equal(progress, want) {
			t.Errorf("progress = %v, want %v", progress, want)
		}
		if len(got) > 0 && got[0].Message != "slept 1 of 3.5 seconds" {
			t.Errorf("message = %q, want %q", got[0].Message, "slept 1 of 3.5 seconds")
		}
	})
}

func TestSleepNoProgressWithoutToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var count int
		var mu sync.Mutex
		cs := connect(t, nil, nil, func(*mcp.ProgressNotificationParams) {
			mu.Lock()
			count++
			mu.Unlock()
		})
		if _, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "sleep", Arguments: map[string]any{"seconds": 3}}); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		if count != 0 {
			t.Errorf("got %d progress notifications without a progress token, want 0", count)
		}
	})
}
