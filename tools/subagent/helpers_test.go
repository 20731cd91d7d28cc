package subagent

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// connect serves svc's tools in memory and returns a client session.
// progress, if non-nil, receives every progress notification.
func connect(t testing.TB, svc *Service, progress func(*mcp.ProgressNotificationParams)) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	s := mcp.NewServer(&mcp.Implementation{Name: "sub-agent", Version: "v0"}, nil)
	Register(s, svc)
	st, ct := mcp.NewInMemoryTransports()
	ss, err := s.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, &mcp.ClientOptions{
		ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			if progress != nil {
				progress(req.Params)
			}
		},
	})
	cs, err := client.Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		ss.Wait()
		svc.Close()
	})
	return cs
}

// call calls a tool and returns its text and structured content decoded
// into out (when non-nil). It fails the test on a protocol error, and on
// a result whose isError is not wantErr.
func call(t *testing.T, cs *mcp.ClientSession, params *mcp.CallToolParams, wantErr bool, out any) string {
	t.Helper()
	res, err := cs.CallTool(t.Context(), params)
	if err != nil {
		t.Fatalf("%s: %v", params.Name, err)
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	if res.IsError != wantErr {
		t.Fatalf("%s: isError = %v, want %v: %s", params.Name, res.IsError, wantErr, b.String())
	}
	if out != nil && !wantErr {
		raw, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: structured content %s: %v", params.Name, raw, err)
		}
	}
	return b.String()
}

func params(name string, args map[string]any) *mcp.CallToolParams {
	return &mcp.CallToolParams{Name: name, Arguments: args}
}

func connectB(b *testing.B, svc *Service) *mcp.ClientSession {
	return connect(b, svc, nil)
}
