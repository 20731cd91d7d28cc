// Package sleep provides the sleep tool: it waits a number of seconds,
// reporting progress while it waits, and stops early when cancelled.
// It exists for demonstrations and for tests of hosts and clients
// (timeouts, cancellation, progress, tool events).
package sleep

import (
	"context"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

//go:embed description.md
var description string

// MaxSeconds is the longest sleep the tool accepts.
const MaxSeconds = 600

// Input is the tool's arguments.
type Input struct {
	Seconds float64 `json:"seconds" jsonschema:"how long to sleep, in seconds, between 0 and 600; fractions such as 1.5 are allowed"`
}

// Output is the tool's structured result.
type Output struct {
	SleptSeconds float64 `json:"slept_seconds" jsonschema:"the number of seconds slept"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// ProgressInterval is the time between two progress notifications,
	// sent only when the call carries a progress token. Default: 1s.
	ProgressInterval time.Duration
}

// Register adds the sleep tool to s.
func Register(s *mcp.Server, opts *Options) {
	t := &tool{interval: time.Second}
	if opts != nil && opts.ProgressInterval > 0 {
		t.interval = opts.ProgressInterval
	}
	mcp.AddTool(s, &mcp.Tool{
		Name:        "sleep",
		Description: description,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}, t.sleep)
}

type tool struct {
	interval time.Duration
}

func (t *tool) sleep(ctx context.Context, req *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, Output, error) {
	if in.Seconds < 0 || in.Seconds > MaxSeconds {
		return nil, Output{}, fmt.Errorf("seconds must be between 0 and %d, got %s; for a longer wait, call sleep several times", MaxSeconds, format(in.Seconds))
	}
	start := time.Now()
	timer := time.NewTimer(time.Duration(in.Seconds * float64(time.Second)))
	defer timer.Stop()

	var tick <-chan time.Time
	token := req.Params.GetProgressToken()
	if token != nil {
		ticker := time.NewTicker(t.interval)
		defer ticker.Stop()
		tick = ticker.C
	}
	for {
		select {
		case <-timer.C:
			text := "Slept for " + format(in.Seconds) + " seconds"
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}},
				Output{SleptSeconds: in.Seconds}, nil
		case <-ctx.Done():
			return nil, Output{}, fmt.Errorf("sleep interrupted after %s of %s seconds: %w",
				format(tenths(time.Since(start).Seconds())), format(in.Seconds), ctx.Err())
		case <-tick:
			elapsed := min(time.Since(start).Seconds(), in.Seconds)
			// Progress is best effort: a client that went away will
			// cancel ctx, which the loop notices.
			_ = req.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{
				ProgressToken: token,
				Progress:      elapsed,
				Total:         in.Seconds,
				Message:       "slept " + format(tenths(elapsed)) + " of " + format(in.Seconds) + " seconds",
			})
		}
	}
}

// format writes seconds the way a person would: 3, 1.5, 0.25.
func format(seconds float64) string {
	return strconv.FormatFloat(seconds, 'f', -1, 64)
}

// tenths rounds a measured time, so that a message reads 1.2, not 1.2000331.
func tenths(seconds float64) float64 {
	return math.Round(seconds*10) / 10
}
