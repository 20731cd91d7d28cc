package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/llmtest"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

func TestBuiltinToolsAreListedAndSelectable(t *testing.T) {
	p := llmtest.New(llmtest.Text("ok"))
	ts := newServer(t, p, &server.Options{BuiltinTools: []string{"code_execution", "google_search"}})
	resp, err := http.Get(ts.URL + "/v1/tools")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(body), `{"name":"code_execution","description":"The model writes and runs Python code on Google's side (built into Gemini).","server":"","input_schema":null,"builtin":true}`)

	// The original's names for them still select them.
	post(t, ts, `{"model":"test-model|VertexAI Code Execution|sleep","messages":[{"role":"user","content":"x"}]}`, nil)
	req := p.Requests()[0]
	assert.Equal(t, []string{"code_execution"}, req.Options.BuiltinTools)
	require.Len(t, req.Tools, 1)
	assert.Equal(t, "sleep", req.Tools[0].Name)
}

func TestLegacyFunctionsAreRefusedSayingWhatToSend(t *testing.T) {
	ts := newServer(t, llmtest.New(), nil)
	for field, want := range map[string]string{
		`"functions":[{"name":"f","parameters":{"type":"object"}}]`: `"param":"functions"`,
		`"function_call":"auto"`:                                    `"param":"function_call"`,
	} {
		status, body := do(t, ts, `{"model":"test-model",`+field+`,"messages":[{"role":"user","content":"x"}]}`, nil)
		assert.Equal(t, http.StatusBadRequest, status, "%s", body)
		assert.Contains(t, string(body), want)
		assert.Contains(t, string(body), "instead")
	}
}

func TestDebugLogSaysWhatARequestDid(t *testing.T) {
	var logs strings.Builder
	p := llmtest.New(
		llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":1}`)}),
		llmtest.Text("done"),
	)
	ts := newServer(t, p, &server.Options{Logger: slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	post(t, ts, `{"model":"test-model|sleep","messages":[{"role":"user","content":"sleep 1"}]}`, nil)
	line := ""
	for l := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(l, `msg="chat done"`) {
			line = l
		}
	}
	require.NotEmpty(t, line, "%s", logs.String())
	for _, want := range []string{"model=test-model", "tools=[sleep]", "turns=2", "tool_calls=1", "took=", "prompt_tokens=", "completion_tokens="} {
		assert.Contains(t, line, want)
	}
}

// syncWriter serialises writes from the handler's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func TestToolResponseEventCarriesImages(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "View", Arguments: json.RawMessage(`{}`)}), llmtest.Text("a dot"))
	tb := &fakeToolbox{
		tools: []toolbox.Tool{{Tool: llm.Tool{Name: "View", Parameters: json.RawMessage(`{"type":"object"}`)}, Server: "View"}},
		fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "dot.png"}, &mcp.ImageContent{MIMEType: "image/png", Data: []byte("PNG")}}}, nil
		},
	}
	ts := newServer(t, p, &server.Options{Toolbox: tb})
	body := post(t, ts, `{"model":"test-model","stream":true,"messages":[{"role":"user","content":"show dot.png"}]}`, map[string]string{server.ToolEventsHeader: "true"})
	assert.Contains(t, string(body), `"response":"dot.png","error":"","duration_ms":`)
	assert.Contains(t, string(body), `"images":["data:image/png;base64,UE5H"]`)
}
