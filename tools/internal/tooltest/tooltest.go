// Package tooltest serves the gomcptest tools in memory for their tests:
// [Connect] opens an MCP client session on an [mcp.Server], [Call] calls a
// tool on it and [Text] reads the answer, each failing the test on a
// protocol error rather than returning it. [Versus] and [GoSrc] serve the
// benchmarks that time a tool beside the command it stands in for.
//
// A typical test:
//
//	s := mcp.NewServer(&mcp.Implementation{Name: "sleep", Version: "v0"}, nil)
//	sleep.Register(s, nil)
//	cs := tooltest.Connect(t, s, nil)
//	res := tooltest.Call(t, cs, "sleep", map[string]any{"seconds": 0})
//	if res.IsError || tooltest.Text(t, res) != "Slept for 0 seconds" { ... }
package tooltest

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Connect connects a new client, configured by opts (nil means the
// defaults), to s over in-memory transports and returns its session. Each
// call opens another session on s. When the test ends, tb's cleanup closes
// the session and waits for the server side to finish, so cleanups the
// caller registered before Connect run after that.
//
// The sessions are connected with context.Background rather than
// tb.Context: they must outlive the test's context, which is cancelled
// before cleanups run (and, in a synctest bubble, ends with it).
func Connect(tb testing.TB, s *mcp.Server, opts *mcp.ClientOptions) *mcp.ClientSession {
	tb.Helper()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := s.Connect(ctx, st, nil)
	if err != nil {
		tb.Fatalf("connecting the server: %v", err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, opts).Connect(ctx, ct, nil)
	if err != nil {
		tb.Fatalf("connecting the client: %v", err)
	}
	tb.Cleanup(func() {
		cs.Close()
		ss.Wait()
	})
	return cs
}

// OnProgress returns client options that pass the params of every progress
// notification to f, for [Connect]. A nil f means nil options.
func OnProgress(f func(*mcp.ProgressNotificationParams)) *mcp.ClientOptions {
	if f == nil {
		return nil
	}
	return &mcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			f(req.Params)
		},
	}
}

// Call calls the tool name with args, within tb.Context, and returns its
// result. A tool failure is a result with IsError set, for the caller to
// check; a protocol error fails the test.
func Call(tb testing.TB, cs *mcp.ClientSession, name string, args any) *mcp.CallToolResult {
	tb.Helper()
	res, err := cs.CallTool(tb.Context(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		tb.Fatalf("calling %s: protocol error %v, want a result", name, err)
	}
	return res
}

// Text returns the text content of res, joined. Content of any other kind
// fails the test: a caller that expects images reads them itself.
func Text(tb testing.TB, res *mcp.CallToolResult) string {
	tb.Helper()
	var b strings.Builder
	for _, c := range res.Content {
		tc, ok := c.(*mcp.TextContent)
		if !ok {
			tb.Fatalf("content %T, want text", c)
		}
		b.WriteString(tc.Text)
	}
	return b.String()
}
