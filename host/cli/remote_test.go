package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/openai"
)

// weatherTools serves a weather tool over streamable HTTP.
func weatherTools(t *testing.T) string {
	srv := mcp.NewServer(&mcp.Implementation{Name: "weather", Version: "v0"}, nil)
	type args struct {
		City string `json:"city"`
	}
	mcp.AddTool(srv, &mcp.Tool{Name: "weather", Description: "The weather of a city."}, func(_ context.Context, _ *mcp.CallToolRequest, a args) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "sunny in " + a.City}}}, nil, nil
	})
	ts := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
	t.Cleanup(ts.Close)
	return ts.URL + "/mcp"
}

// chatServer is an OpenAI-compatible server that answers each chat request
// with the next of its streams (the data of each frame), and keeps the
// requests.
type chatServer struct {
	mu       sync.Mutex
	streams  [][]string
	requests []openai.ChatRequest
	auth     []string
}

func (c *chatServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/v1/models":
		fmt.Fprint(w, `{"object":"list","data":[{"id":"remote-1","object":"model","created":0,"owned_by":"test"}]}`)
		return
	case "/v1/chat/completions":
	default:
		http.NotFound(w, r)
		return
	}
	var req openai.ChatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.requests = append(c.requests, req)
	c.auth = append(c.auth, r.Header.Get("Authorization"))
	if len(c.streams) == 0 {
		c.mu.Unlock()
		http.Error(w, `{"error":{"message":"no more answers","type":"server_error"}}`, http.StatusInternalServerError)
		return
	}
	frames := c.streams[0]
	c.streams = c.streams[1:]
	c.mu.Unlock()
	w.Header().Set("Content-Type", "text/event-stream")
	for _, f := range frames {
		fmt.Fprintf(w, "data: %s\n\n", f)
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func TestServerToolCallRunsHere(t *testing.T) {
	chat := &chatServer{streams: [][]string{{
		`{"choices":[{"index":0,"delta":{"role":"assistant","content":"Let me check."},"finish_reason":null}]}`,
		// The call comes in fragments: the id, name and signature once,
		// then the rest of the arguments.
		`{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"ci"},"extra_content":{"google":{"thought_signature":"c2lnbmVk"}}}]},"finish_reason":null}]}`,
		`{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}`,
		`{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}`,
	}, {
		`{"choices":[{"index":0,"delta":{"content":"It is sunny in Paris."},"finish_reason":"stop"}]}`,
		`{"choices":[],"usage":{"prompt_tokens":20,"completion_tokens":6,"total_tokens":26}}`,
	}}}
	api := httptest.NewServer(chat)
	t.Cleanup(api.Close)

	env := map[string]string{"OPENAI_API_KEY": "sk-test"}
	cfg, err := parseConfig([]string{"-server", api.URL, "-mcpservers", weatherTools(t), "-prompt", "Be brief.", "-format", "json", "-p", "Weather in Paris?"},
		func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	code, err := run(t.Context(), cfg, streams{in: strings.NewReader(""), out: &out, err: &errOut}, make(chan os.Signal))
	if code != 0 || err != nil {
		t.Fatalf("run = %d, %v; stderr:\n%s", code, err, errOut.String())
	}

	var got jsonAnswer
	if err := json.Unmarshal([]byte(out.String()), &got); err != nil {
		t.Fatalf("the output is not the JSON answer: %v\n%s", err, out.String())
	}
	for i, c := range got.ToolCalls {
		got.ToolCalls[i].Arguments = json.RawMessage(compact(c.Arguments)) // the output is indented
	}
	want := jsonAnswer{
		Model:        "remote-1",
		Answer:       "Let me check.\n\nIt is sunny in Paris.",
		ToolCalls:    []jsonToolCall{{ID: "call_1", Name: "weather", Arguments: json.RawMessage(`{"city":"Paris"}`), Result: "sunny in Paris"}},
		Usage:        jsonUsage{PromptTokens: 30, CompletionTokens: 11, TotalTokens: 41},
		FinishReason: "stop",
	}
	if diff := cmp.Diff(want, got, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".DurationMS" }, cmp.Ignore())); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}

	if len(chat.requests) != 2 {
		t.Fatalf("%d chat requests, want 2", len(chat.requests))
	}
	first, second := chat.requests[0], chat.requests[1]
	if len(first.Tools) != 1 || first.Tools[0].Function.Name != "weather" || !first.Stream {
		t.Errorf("the first request declares %+v (stream %v), want the weather tool, streamed", first.Tools, first.Stream)
	}
	if chat.auth[0] != "Bearer sk-test" {
		t.Errorf("Authorization %q, want the OPENAI_API_KEY as a bearer token", chat.auth[0])
	}
	if m := first.Messages[0]; m.Role != "system" || m.Content.String() != "Be brief." {
		t.Errorf("first message %+v, want the system prompt", m)
	}
	// The second request sends the call back with its signature, and the
	// result the tool gave here.
	msgs := second.Messages
	if len(msgs) != 4 {
		t.Fatalf("the second request has %d messages, want system, user, assistant, tool: %+v", len(msgs), msgs)
	}
	call := msgs[2].ToolCalls
	if msgs[2].Role != "assistant" || len(call) != 1 || call[0].ID != "call_1" || call[0].Function.Arguments != `{"city":"Paris"}` {
		t.Errorf("assistant message %+v, want the weather call", msgs[2])
	}
	if len(call) == 1 && (call[0].ExtraContent == nil || call[0].ExtraContent.Google == nil || call[0].ExtraContent.Google.ThoughtSignature != "c2lnbmVk") {
		t.Errorf("the resent call lost its thought signature: %+v", call[0].ExtraContent)
	}
	if m := msgs[3]; m.Role != "tool" || m.ToolCallID != "call_1" || m.Content.String() != "sunny in Paris" {
		t.Errorf("tool message %+v, want the result of call_1", m)
	}
}

func TestServerStreamErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		frames []string
		want   string
	}{
		{"an error frame", []string{`{"error":{"message":"upstream overloaded","type":"server_error"}}`}, "the server's stream ended with an error: upstream overloaded"},
		{"no finish reason", []string{`{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}`}, "the server's stream ended without a finish_reason"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := httptest.NewServer(&chatServer{streams: [][]string{tc.frames}})
			t.Cleanup(api.Close)
			cfg, err := parseConfig([]string{"-server", api.URL, "-p", "hi"}, func(string) string { return "" }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			code, err := run(t.Context(), cfg, streams{in: strings.NewReader(""), out: &out, err: io.Discard}, make(chan os.Signal))
			if code != 1 || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run = %d, %v; want 1 and an error saying %q", code, err, tc.want)
			}
		})
	}
}
