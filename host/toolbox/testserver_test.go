package toolbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The test binary doubles as the MCP servers the tests start: with
// TOOLBOX_TEST_SERVER set, it serves over stdio instead of running tests.
const (
	modeEnv  = "TOOLBOX_TEST_SERVER" // tools, env, flood, fail or hang
	tagEnv   = "TOOLBOX_TEST_TAG"    // echoed by echo; adds a tool "only_<tag>"
	manyEnv  = "TOOLBOX_TEST_MANY"   // number of extra tools t000...
	pageSize = 4

	floodLines = 100_000
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(modeEnv); mode != "" {
		os.Exit(serve(mode))
	}
	os.Exit(m.Run())
}

func serve(mode string) int {
	fmt.Fprintf(os.Stderr, "test server starting: %s\n", mode)
	switch mode {
	case "fail":
		for i := range 30 {
			fmt.Fprintf(os.Stderr, "fail line %d\n", i)
		}
		fmt.Fprint(os.Stderr, "fatal: no config") // no newline: must still be reported
		return 2
	case "hang": // never answers the handshake
		io.Copy(io.Discard, os.Stdin)
		return 0
	}
	var many int
	fmt.Sscan(os.Getenv(manyEnv), &many)
	srv := newTestServer(os.Getenv(tagEnv), many, true)
	switch mode {
	case "env":
		mcp.AddTool(srv, &mcp.Tool{Name: "environ", Description: "the server's environment, one K=V a line"},
			func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, any, error) {
				return text(strings.Join(os.Environ(), "\n")), nil, nil
			})
	case "flood": // floodLines lines on stderr before serving
		w := bufio.NewWriter(os.Stderr)
		for i := range floodLines {
			fmt.Fprintf(w, "flood line %d of a tool that logs far too much\n", i)
		}
		w.Flush()
	}
	if err := srv.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, "serving:", err)
		return 1
	}
	return 0
}

type echoIn struct {
	Text string `json:"text"`
}

type gatherIn struct {
	N int `json:"n" jsonschema:"how many calls must be in flight together"`
}

type none struct{}

func text(s string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}
}

// newTestServer returns the server the tests talk to. Tools: echo, slow
// (returns only when cancelled), pid, oops (a tool error), gather (returns
// once n calls are in flight at once), die (exits the process; only when
// canDie), only_<tag> and `many` more to force pagination.
func newTestServer(tag string, many int, canDie bool) *mcp.Server {
	srv := mcp.NewServer(&mcp.Implementation{Name: "toolbox-test", Version: "1"}, &mcp.ServerOptions{PageSize: pageSize})
	mcp.AddTool(srv, &mcp.Tool{Name: "echo", Description: "echoes text"},
		func(_ context.Context, _ *mcp.CallToolRequest, in echoIn) (*mcp.CallToolResult, any, error) {
			return text(tag + ":" + in.Text), nil, nil
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "slow", Description: "waits for cancellation"},
		func(ctx context.Context, _ *mcp.CallToolRequest, _ none) (*mcp.CallToolResult, any, error) {
			fmt.Fprintln(os.Stderr, "slow: started")
			<-ctx.Done()
			fmt.Fprintln(os.Stderr, "slow: cancelled")
			return nil, nil, ctx.Err()
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "pid", Description: "process id"},
		func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, any, error) {
			return text(fmt.Sprint(os.Getpid())), nil, nil
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "oops", Description: "always fails"},
		func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, any, error) {
			return nil, nil, fmt.Errorf("oops: try again later")
		})
	var (
		mu       sync.Mutex
		inFlight int
		changed  = make(chan struct{})
	)
	mcp.AddTool(srv, &mcp.Tool{Name: "gather", Description: "waits for n concurrent calls"},
		func(ctx context.Context, _ *mcp.CallToolRequest, in gatherIn) (*mcp.CallToolResult, any, error) {
			mu.Lock()
			inFlight++
			close(changed)
			changed = make(chan struct{})
			for inFlight < in.N {
				ch := changed
				mu.Unlock()
				select {
				case <-ch:
				case <-ctx.Done():
					return nil, nil, ctx.Err()
				}
				mu.Lock()
			}
			mu.Unlock()
			return text("gathered"), nil, nil
		})
	if canDie {
		mcp.AddTool(srv, &mcp.Tool{Name: "die", Description: "exits mid-call"},
			func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, any, error) {
				fmt.Fprintln(os.Stderr, "dying")
				os.Exit(3)
				return nil, nil, nil
			})
	}
	if tag != "" {
		mcp.AddTool(srv, &mcp.Tool{Name: "only_" + tag, Description: "unique to " + tag},
			func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, any, error) {
				return text(tag), nil, nil
			})
	}
	for i := range many {
		mcp.AddTool(srv, &mcp.Tool{Name: fmt.Sprintf("t%03d", i), Description: "filler"},
			func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, any, error) {
				return text("ok"), nil, nil
			})
	}
	return srv
}

// logBuffer collects log output and lets a test wait for a line.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.changed)
	b.changed = make(chan struct{})
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the log holds a line containing every part.
func (b *logBuffer) waitFor(t *testing.T, parts ...string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		b.mu.Lock()
		logs, ch := b.buf.String(), b.changed
		b.mu.Unlock()
		for line := range strings.Lines(logs) {
			if containsAll(line, parts) {
				return
			}
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("no log line with %q; log:\n%s", parts, logs)
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
