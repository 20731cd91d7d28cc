package transcript_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/toolbox"
)

// TestToolboxOnReplayServer runs the host's toolbox on "mcptest
// replay-server" serving the recorded sleep tool: the host lists and calls
// the tool without the tool, and a call the transcript does not hold
// fails with an error that names it.
func TestToolboxOnReplayServer(t *testing.T) {
	file := filepath.Join(recordings, "sleep.txtar")
	env, cmd := command("mcptest", "replay-server", file)
	tb, err := toolbox.New(t.Context(), []toolbox.ServerSpec{{Command: cmd[0], Args: cmd[1:], Env: env}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()

	tools := tb.Tools()
	if len(tools) != 1 || tools[0].Name != "sleep" || !strings.Contains(tools[0].Description, "Pauses") {
		t.Fatalf("tools = %+v, want the recorded sleep tool", tools)
	}
	res, err := tb.Call(t.Context(), "sleep", json.RawMessage(`{"seconds":0.01}`))
	if err != nil || res.IsError || res.Content[0].(*mcp.TextContent).Text != "Slept for 0.01 seconds" {
		t.Errorf("Call(sleep 0.01) = %+v, %v; want the recorded answer", res, err)
	}
	res, err = tb.Call(t.Context(), "sleep", json.RawMessage(`{"seconds":700}`))
	if err != nil || !res.IsError || !strings.Contains(res.Content[0].(*mcp.TextContent).Text, "between 0 and 600") {
		t.Errorf("Call(sleep 700) = %+v, %v; want the recorded tool error", res, err)
	}
	_, err = tb.Call(t.Context(), "sleep", json.RawMessage(`{"seconds":5}`))
	if want := `holds no tools/call request with params {"arguments":{"seconds":5},"name":"sleep"}`; err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "sleep.txtar") {
		t.Errorf("Call(sleep 5): err = %v, want it to name the transcript and the request", err)
	}
}
