package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/llmtest"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// fakeToolbox offers tools that answer with fn.
type fakeToolbox struct {
	tools []toolbox.Tool
	fn    func(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error)
}

func (f *fakeToolbox) Tools() []toolbox.Tool { return f.tools }
func (f *fakeToolbox) Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	return f.fn(ctx, name, args)
}

func sleepToolbox() *fakeToolbox {
	return &fakeToolbox{
		tools: []toolbox.Tool{
			{Tool: llm.Tool{Name: "sleep", Description: "Sleeps.", Parameters: json.RawMessage(`{"type":"object","properties":{"seconds":{"type":"number"}}}`)}, Server: "sleep"},
			{Tool: llm.Tool{Name: "LS", Description: "Lists.", Parameters: json.RawMessage(`{"type":"object"}`)}, Server: "LS"},
		},
		fn: func(_ context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "Slept for 1 seconds"}}}, nil
		},
	}
}

func newServer(t *testing.T, p *llmtest.Provider, opts *server.Options) *httptest.Server {
	t.Helper()
	if opts == nil {
		opts = &server.Options{}
	}
	if opts.Toolbox == nil {
		opts.Toolbox = sleepToolbox()
	}
	ts := httptest.NewServer(server.New(p, opts))
	t.Cleanup(ts.Close)
	t.Cleanup(func() {
		if n := p.Unused(); n > 0 && !t.Failed() {
			t.Errorf("%d scripted turns were never requested", n)
		}
	})
	return ts
}

func client(ts *httptest.Server) *goopenai.Client {
	cfg := goopenai.DefaultConfig("unused")
	cfg.BaseURL = ts.URL + "/v1"
	return goopenai.NewClientWithConfig(cfg)
}

func userMsg(s string) []goopenai.ChatCompletionMessage {
	return []goopenai.ChatCompletionMessage{{Role: "user", Content: s}}
}

func TestGoOpenAINonStreaming(t *testing.T) {
	p := llmtest.New(llmtest.Text("Hello", " there"))
	ts := newServer(t, p, nil)
	resp, err := client(ts).CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "test-model", Messages: userMsg("hi")})
	require.NoError(t, err)
	require.Len(t, resp.Choices, 1)
	assert.Equal(t, "Hello there", resp.Choices[0].Message.Content)
	assert.Equal(t, goopenai.FinishReasonStop, resp.Choices[0].FinishReason)
	assert.Equal(t, "chat.completion", resp.Object)
	assert.True(t, strings.HasPrefix(resp.ID, "chatcmpl-"))
	assert.Equal(t, 12, resp.Usage.TotalTokens)
}

func TestGoOpenAIStreamReassembled(t *testing.T) {
	p := llmtest.New(
		llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":1}`)}),
		llmtest.Text("I slept", " for one second."),
	)
	ts := newServer(t, p, nil)
	stream, err := client(ts).CreateChatCompletionStream(t.Context(), goopenai.ChatCompletionRequest{
		Model: "test-model", Messages: userMsg("sleep 1"), Stream: true,
		StreamOptions: &goopenai.StreamOptions{IncludeUsage: true},
	})
	require.NoError(t, err)
	defer stream.Close()
	var text strings.Builder
	var finishes []goopenai.FinishReason
	var usage *goopenai.Usage
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if chunk.Usage != nil {
			usage = chunk.Usage
		}
		for _, c := range chunk.Choices {
			text.WriteString(c.Delta.Content)
			if c.FinishReason != "" {
				finishes = append(finishes, c.FinishReason)
			}
		}
	}
	assert.Equal(t, "I slept for one second.", text.String())
	assert.Equal(t, []goopenai.FinishReason{goopenai.FinishReasonStop}, finishes)
	require.NotNil(t, usage)
	assert.Equal(t, 20, usage.PromptTokens, "usage is summed over the loop")
}

func TestGoOpenAIClientToolRoundTrip(t *testing.T) {
	p := llmtest.New(
		llmtest.Calls(llm.ToolCall{ID: "call_w", Name: "get_weather", Arguments: json.RawMessage(`{"city":"Paris"}`), Signature: []byte{1, 2, 3}}),
		llmtest.Text("It is sunny in Paris."),
	)
	ts := newServer(t, p, nil)
	c := client(ts)
	tools := []goopenai.Tool{{Type: goopenai.ToolTypeFunction, Function: &goopenai.FunctionDefinition{
		Name: "get_weather", Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}}}`),
	}}}
	msgs := userMsg("weather in Paris?")
	resp, err := c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "test-model", Messages: msgs, Tools: tools})
	require.NoError(t, err)
	choice := resp.Choices[0]
	assert.Equal(t, goopenai.FinishReasonToolCalls, choice.FinishReason)
	require.Len(t, choice.Message.ToolCalls, 1)
	call := choice.Message.ToolCalls[0]
	assert.Equal(t, "get_weather", call.Function.Name)
	assert.JSONEq(t, `{"city":"Paris"}`, call.Function.Arguments)

	// The client runs the tool and sends the whole conversation back. The
	// go-openai client drops extra_content, so this round trip carries no
	// signature; the raw test below covers it.
	msgs = append(msgs, choice.Message, goopenai.ChatCompletionMessage{Role: "tool", ToolCallID: call.ID, Content: "sunny, 24°C"})
	resp, err = c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "test-model", Messages: msgs, Tools: tools})
	require.NoError(t, err)
	assert.Equal(t, "It is sunny in Paris.", resp.Choices[0].Message.Content)

	second := p.Requests()[1]
	require.Len(t, second.Messages, 3)
	res := second.Messages[2].Parts[0].ToolResult
	assert.Equal(t, "get_weather", res.Name, "the tool result is named after its call")
	assert.Equal(t, "sunny, 24°C", res.Content)
}

func TestThoughtSignatureRoundTrip(t *testing.T) {
	p := llmtest.New(
		llmtest.Calls(llm.ToolCall{ID: "call_w", Name: "get_weather", Arguments: json.RawMessage(`{}`), Signature: []byte("opaque")}),
		llmtest.Text("ok"),
	)
	ts := newServer(t, p, nil)
	tools := `"tools":[{"type":"function","function":{"name":"get_weather"}}]`
	body := post(t, ts, `{"model":"test-model","messages":[{"role":"user","content":"hi"}],`+tools+`}`, nil)
	var first struct {
		Choices []struct {
			Message struct {
				ToolCalls []json.RawMessage `json:"tool_calls"`
			} `json:"message"`
		} `json:"choices"`
	}
	require.NoError(t, json.Unmarshal(body, &first))
	call := string(first.Choices[0].Message.ToolCalls[0])
	assert.Contains(t, call, `"extra_content":{"google":{"thought_signature":"b3BhcXVl"}}`)

	post(t, ts, `{"model":"test-model","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":null,"tool_calls":[`+call+`]},{"role":"tool","tool_call_id":"call_w","content":"sunny"}],`+tools+`}`, nil)
	got := p.Requests()[1].Messages[1].Parts[0].ToolCall
	assert.Equal(t, []byte("opaque"), got.Signature)
}

func post(t *testing.T, ts *httptest.Server, body string, hdr map[string]string) []byte {
	t.Helper()
	status, b := do(t, ts, body, hdr)
	require.Equal(t, http.StatusOK, status, string(b))
	return b
}

func do(t *testing.T, ts *httptest.Server, body string, hdr map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "POST", ts.URL+"/v1/chat/completions", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// frames splits an SSE body into its data payloads.
func frames(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			out = append(out, d)
		}
	}
	return out
}

func TestStreamFrames(t *testing.T) {
	p := llmtest.New(
		llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":1}`)}),
		llmtest.Text("Done."),
	)
	ts := newServer(t, p, nil)
	body := post(t, ts, `{"model":"test-model|sleep","stream":true,"messages":[{"role":"user","content":"sleep 1"}]}`,
		map[string]string{server.ToolEventsHeader: "true"})
	fs := frames(t, body)
	require.GreaterOrEqual(t, len(fs), 5)
	assert.Contains(t, fs[0], `"delta":{"role":"assistant"`, "the role comes first")
	assert.Contains(t, fs[1], `"object":"tool.call","created":`)
	assert.Contains(t, fs[1], `"event_type":"tool_call","tool_call":{"id":"call_1","name":"sleep","arguments":{"seconds":1}}`)
	assert.Contains(t, fs[2], `"event_type":"tool_response","tool_response":{"id":"call_1","name":"sleep","response":"Slept for 1 seconds","error":""`)
	assert.Equal(t, "[DONE]", fs[len(fs)-1])
	finishes := 0
	for _, f := range fs[:len(fs)-1] {
		var c struct {
			ID      string `json:"id"`
			Choices []struct {
				FinishReason *string `json:"finish_reason"`
			} `json:"choices"`
		}
		require.NoError(t, json.Unmarshal([]byte(f), &c))
		assert.True(t, strings.HasPrefix(c.ID, "chatcmpl-"))
		for _, ch := range c.Choices {
			if ch.FinishReason != nil {
				finishes++
				assert.Equal(t, "stop", *ch.FinishReason)
			}
		}
	}
	assert.Equal(t, 1, finishes, "exactly one non-null finish_reason")
}

func TestToolEventsOffByDefault(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{}`)}), llmtest.Text("ok"))
	ts := newServer(t, p, nil)
	body := post(t, ts, `{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}`, nil)
	assert.NotContains(t, string(body), "tool_call")
}

func TestErrorMidStreamIsAFrame(t *testing.T) {
	p := llmtest.New(llmtest.Turn{Deltas: []llm.Delta{{Text: "Hel"}}, Err: &llm.Error{StatusCode: 500, Status: "INTERNAL", Message: "boom"}})
	ts := newServer(t, p, nil)
	fs := frames(t, post(t, ts, `{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}`, nil))
	last := fs[len(fs)-1]
	assert.Contains(t, last, `{"error":{"message":"boom","type":"upstream_error"`)
	assert.NotContains(t, fs, "[DONE]")
}

func TestErrorBeforeStreamIsAStatus(t *testing.T) {
	p := llmtest.New(llmtest.Turn{Err: &llm.Error{StatusCode: 429, Status: "RESOURCE_EXHAUSTED", Message: "quota", RetryAfter: 7}})
	ts := newServer(t, p, nil)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", ts.URL+"/v1/chat/completions",
		strings.NewReader(`{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "7", resp.Header.Get("Retry-After"))
}

func TestBadInput(t *testing.T) {
	p := llmtest.New(llmtest.Text("still serving"))
	ts := newServer(t, p, &server.Options{MaxBodyBytes: 1024})
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"malformed JSON", `{"model":`, 400, "malformed JSON"},
		{"no messages", `{"model":"test-model","messages":[]}`, 400, "at least one message"},
		{"unknown model", `{"model":"gpt-9","messages":[{"role":"user","content":"x"}]}`, 404, `"code":"model_not_found"`},
		{"unknown tool", `{"model":"test-model|sleep|nope","messages":[{"role":"user","content":"x"}]}`, 400, `unknown tool \"nope\" in the model string; available tools: sleep, LS`},
		{"too large", `{"model":"test-model","messages":[{"role":"user","content":"` + strings.Repeat("x", 2000) + `"}]}`, 413, "larger than the server's limit of 1024 bytes"},
		{"bad role", `{"model":"test-model","messages":[{"role":"robot","content":"x"}]}`, 400, "unknown role"},
		{"orphan tool result", `{"model":"test-model","messages":[{"role":"tool","tool_call_id":"call_x","content":"x"}]}`, 400, "answers no tool call"},
		{"remote image", `{"model":"test-model","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}`, 400, "only data: URLs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, ts, tc.body, nil)
			assert.Equal(t, tc.status, status)
			assert.Contains(t, string(body), tc.want)
			assert.Contains(t, string(body), `"type":"invalid_request_error"`)
		})
	}
	// The server keeps serving.
	body := post(t, ts, `{"model":"test-model","messages":[{"role":"user","content":"x"}]}`, nil)
	assert.Contains(t, string(body), "still serving")
}

func TestClientDisconnectCancelsTools(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":600}`)}))
	started, cancelled := make(chan struct{}), make(chan struct{})
	tb := sleepToolbox()
	tb.fn = func(ctx context.Context, _ string, _ json.RawMessage) (*mcp.CallToolResult, error) {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return nil, ctx.Err()
	}
	ts := newServer(t, p, &server.Options{Toolbox: tb})
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/v1/chat/completions",
		strings.NewReader(`{"model":"test-model","stream":true,"messages":[{"role":"user","content":"sleep"}]}`))
	req.Header.Set("Content-Type", "application/json")
	var wg sync.WaitGroup
	wg.Go(func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	<-started
	cancel()
	<-cancelled // would block forever if the tool were not cancelled
	wg.Wait()
}

func TestModelsAndTools(t *testing.T) {
	ts := newServer(t, llmtest.New(), nil)
	get := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get("/v1/models")
	assert.Equal(t, 200, status)
	assert.JSONEq(t, `{"object":"list","data":[{"id":"test-model","object":"model","created":0,"owned_by":"llmtest"}]}`, body)
	status, _ = get("/v1/models/test-model")
	assert.Equal(t, 200, status)
	status, body = get("/v1/models/nope")
	assert.Equal(t, 404, status)
	assert.Contains(t, body, "model_not_found")
	status, body = get("/v1/tools")
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `{"name":"sleep","description":"Sleeps.","server":"sleep","input_schema":{"type":"object"`)
	status, body = get("/health")
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"status":"ok"`)
}

func TestAPIKeysAndCORS(t *testing.T) {
	ts := newServer(t, llmtest.New(), &server.Options{APIKeys: []string{"sekret"}, AllowedOrigins: []string{"https://app.example"}})
	req := func(origin, key, method string) *http.Response {
		r, _ := http.NewRequestWithContext(t.Context(), method, ts.URL+"/v1/models", nil)
		if origin != "" {
			r.Header.Set("Origin", origin)
			r.Header.Set("Access-Control-Request-Method", "POST")
		}
		if key != "" {
			r.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(r)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	assert.Equal(t, 401, req("", "", "GET").StatusCode)
	assert.Equal(t, 401, req("", "wrong", "GET").StatusCode)
	assert.Equal(t, 200, req("", "sekret", "GET").StatusCode)
	assert.Equal(t, 403, req("https://evil.example", "sekret", "GET").StatusCode, "a foreign origin is refused")
	ok := req("https://app.example", "sekret", "GET")
	assert.Equal(t, 200, ok.StatusCode)
	assert.Equal(t, "https://app.example", ok.Header.Get("Access-Control-Allow-Origin"))
	pre := req("https://app.example", "", "OPTIONS")
	assert.Equal(t, 204, pre.StatusCode)
	assert.Contains(t, pre.Header.Get("Access-Control-Allow-Headers"), server.ToolEventsHeader)
}

func TestKeepAliveDuringLongToolCall(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":60}`)}), llmtest.Text("done"))
	release := make(chan struct{})
	tb := sleepToolbox()
	tb.fn = func(ctx context.Context, _ string, _ json.RawMessage) (*mcp.CallToolResult, error) {
		<-release // the tool runs until the client has seen a keep-alive
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}, nil
	}
	ts := newServer(t, p, &server.Options{Toolbox: tb, KeepAlive: 10 * time.Millisecond})
	req, _ := http.NewRequestWithContext(t.Context(), "POST", ts.URL+"/v1/chat/completions",
		strings.NewReader(`{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var lines []string
	seen := false
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if sc.Text() == ": keep-alive" && !seen {
			seen = true
			close(release)
		}
	}
	assert.True(t, seen, "a keep-alive comment arrived while the tool ran")
	assert.Equal(t, "data: [DONE]", lines[len(lines)-2])
}

func TestToolCallEventCarriesSignature(t *testing.T) {
	p := llmtest.New(
		llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":0}`), Signature: []byte("opaque")}),
		llmtest.Text("ok"),
	)
	ts := newServer(t, p, nil)
	body := post(t, ts, `{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}`, map[string]string{server.ToolEventsHeader: "1"})
	// A client replaying the history (the UI) needs it to send the call back.
	assert.Contains(t, string(body), `"tool_call":{"id":"call_1","name":"sleep","arguments":{"seconds":0},"extra_content":{"google":{"thought_signature":"b3BhcXVl"}}}`)
}

func TestNullStopSendsNoStopSequence(t *testing.T) {
	// Clients that serialise unset options as null send "stop": null; it
	// must not become an empty stop sequence.
	p := llmtest.New(llmtest.Text("a"), llmtest.Text("b"), llmtest.Text("c"))
	ts := newServer(t, p, nil)
	for i, stop := range []string{`null`, `"END"`, `["a","b"]`} {
		post(t, ts, `{"model":"test-model","stop":`+stop+`,"messages":[{"role":"user","content":"x"}]}`, nil)
		got, _ := json.Marshal(p.Requests()[i].Options.Stop)
		want := map[int]string{0: `null`, 1: `["END"]`, 2: `["a","b"]`}[i]
		assert.Equal(t, want, string(got), "stop: %s", stop)
	}
}

func TestToolCallArgumentsMustBeAnObject(t *testing.T) {
	// Gemini's functionCall.args is an object: anything else is the
	// client's mistake (400), not a server error once it reaches the
	// provider.
	ts := newServer(t, llmtest.New(), nil)
	for _, args := range []string{`[1]`, `\"x\"`, `3`} {
		status, body := do(t, ts, `{"model":"test-model","messages":[{"role":"user","content":"x"},`+
			`{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"sleep","arguments":"`+args+`"}}]},`+
			`{"role":"tool","tool_call_id":"c1","content":"ok"}]}`, nil)
		assert.Equal(t, http.StatusBadRequest, status, "arguments %s: %s", args, body)
		assert.Contains(t, string(body), `"param":"messages[1].tool_calls[0].function.arguments"`)
	}
}

// gatedProvider starts a turn, reports it on started, and answers only once
// release is closed, or fails when its context ends.
type gatedProvider struct {
	started, release chan struct{}
}

func (g *gatedProvider) Models() []llm.Model { return []llm.Model{{ID: "test-model"}} }
func (g *gatedProvider) Stream(ctx context.Context, _ *llm.Request) iter.Seq2[*llm.Delta, error] {
	return func(yield func(*llm.Delta, error) bool) {
		if !yield(&llm.Delta{Text: "partial "}, nil) {
			return
		}
		close(g.started)
		select {
		case <-g.release:
			yield(&llm.Delta{Text: "answer", Finish: llm.FinishStop}, nil)
		case <-ctx.Done():
			yield(nil, ctx.Err())
		}
	}
}

func TestServeLetsRunningStreamsFinish(t *testing.T) {
	g := &gatedProvider{started: make(chan struct{}), release: make(chan struct{})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, stop := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- server.New(g, nil).Serve(ctx, l) }()

	req, _ := http.NewRequestWithContext(t.Context(), "POST", "http://"+l.Addr().String()+"/v1/chat/completions",
		strings.NewReader(`{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	<-g.started
	stop() // as on SIGINT: shut down gracefully
	// Shutdown has begun once the listener refuses connections.
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", l.Addr().String())
		if err == nil {
			c.Close()
		}
		return err != nil
	}, 5*time.Second, time.Millisecond)
	close(g.release)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	fs := frames(t, body)
	require.NotEmpty(t, fs)
	assert.Equal(t, "[DONE]", fs[len(fs)-1], "the running stream ends normally:\n%s", body)
	assert.NoError(t, <-served)
}
