package subagent

import (
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// connect serves svc's tools in memory and returns a client session; svc
// is closed when the test ends. progress, if non-nil, receives every
// progress notification.
func connect(t testing.TB, svc *Service, progress func(*mcp.ProgressNotificationParams)) *mcp.ClientSession {
	t.Helper()
	t.Cleanup(svc.Close) // after the session's cleanup, which is registered later
	s := mcp.NewServer(&mcp.Implementation{Name: "sub-agent", Version: "v0"}, nil)
	Register(s, svc)
	return tooltest.Connect(t, s, tooltest.OnProgress(progress))
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
	text := tooltest.Text(t, res)
	if res.IsError != wantErr {
		t.Fatalf("%s: isError = %v, want %v: %s", params.Name, res.IsError, wantErr, text)
	}
	if out != nil && !wantErr {
		raw, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: structured content %s: %v", params.Name, raw, err)
		}
	}
	return text
}

func params(name string, args map[string]any) *mcp.CallToolParams {
	return &mcp.CallToolParams{Name: name, Arguments: args}
}

func connectB(b *testing.B, svc *Service) *mcp.ClientSession {
	return connect(b, svc, nil)
}
