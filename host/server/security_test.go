package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/llmtest"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// recordingToolbox offers sleep and Bash and records every call it runs.
type recordingToolbox struct {
	mu    sync.Mutex
	calls []string
}

func (r *recordingToolbox) Tools() []toolbox.Tool {
	return []toolbox.Tool{
		{Tool: llm.Tool{Name: "sleep", Parameters: json.RawMessage(`{"type":"object"}`)}, Server: "sleep"},
		{Tool: llm.Tool{Name: "Bash", Parameters: json.RawMessage(`{"type":"object"}`)}, Server: "Bash"},
	}
}

func (r *recordingToolbox) Call(_ context.Context, name string, _ json.RawMessage) (*mcp.CallToolResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, name)
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ran " + name}}}, nil
}

func (r *recordingToolbox) ran() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

func bashCall() llmtest.Turn {
	return llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "Bash", Arguments: json.RawMessage(`{"command":"id"}`)})
}

// A page on attacker.example whose name was rebound to 127.0.0.1 sends a
// "simple" POST (text/plain, so no preflight): Host and Origin both name
// the attacker, so comparing them says nothing.
func TestDNSRebindingIsRefused(t *testing.T) {
	tb := &recordingToolbox{}
	p := llmtest.New(bashCall(), llmtest.Text("done"))
	ts := newServerFor(t, p, &server.Options{Toolbox: tb}) // the script shows what would run
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	for _, ctype := range []string{"text/plain", "application/json"} {
		req, err := http.NewRequestWithContext(t.Context(), "POST", ts.URL+"/v1/chat/completions",
			strings.NewReader(`{"model":"test-model","messages":[{"role":"user","content":"run id"}]}`))
		require.NoError(t, err)
		req.Host = "attacker.example:" + port
		req.Header.Set("Origin", "http://attacker.example:"+port)
		req.Header.Set("Content-Type", ctype)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Contains(t, []int{http.StatusForbidden, http.StatusMisdirectedRequest}, resp.StatusCode, "%s: %s", ctype, body)
		assert.Contains(t, string(body), "attacker.example")
	}
	assert.Empty(t, tb.ran(), "no tool runs for a foreign Host")
}

func TestAllowedHosts(t *testing.T) {
	ts := newServer(t, llmtest.New(), &server.Options{AllowedHosts: []string{"agents.example.com", "*.team.example"}})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))
	for host, want := range map[string]int{
		"127.0.0.1:" + port:          200,
		"localhost:" + port:          200,
		"LOCALHOST.:" + port:         200,
		"[::1]:" + port:              200,
		"app.localhost:" + port:      200,
		"agents.example.com:" + port: 200,
		"agents.example.com":         200,
		"a.team.example":             200,
		"team.example":               403,
		"evil.example.com":           403,
		"10.1.2.3:" + port:           403, // not an address the server binds
	} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", ts.URL+"/v1/models", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, "Host %q", host)
	}
}

func TestPostBodiesMustBeJSON(t *testing.T) {
	tb := &recordingToolbox{}
	ts := newServer(t, llmtest.New(llmtest.Text("ok")), &server.Options{Toolbox: tb})
	for ctype, want := range map[string]int{
		"text/plain":                        415,
		"application/x-www-form-urlencoded": 415,
		"multipart/form-data; boundary=x":   415,
		"":                                  415,
		"application/json; charset=utf-8":   200,
	} {
		status, body := do(t, ts, `{"model":"test-model","messages":[{"role":"user","content":"x"}]}`, map[string]string{"Content-Type": ctype})
		assert.Equal(t, want, status, "Content-Type %q: %s", ctype, body)
		if want == 415 {
			assert.Contains(t, string(body), "application/json")
		}
	}
}

func TestToolSelectionIsEnforced(t *testing.T) {
	tb := &recordingToolbox{}
	p := llmtest.New(bashCall(), llmtest.Text("I could not run Bash."))
	ts := newServer(t, p, &server.Options{Toolbox: tb})
	post(t, ts, `{"model":"test-model|sleep","messages":[{"role":"user","content":"run id"}]}`, nil)
	assert.Empty(t, tb.ran(), "Bash was not offered, so it does not run")
	reqs := p.Requests()
	require.Len(t, reqs, 2)
	last := reqs[1].Messages[len(reqs[1].Messages)-1]
	require.Len(t, last.Parts, 1)
	res := last.Parts[0].ToolResult
	require.NotNil(t, res)
	assert.True(t, res.IsError)
	assert.Contains(t, res.Content, `"Bash"`)
	assert.Contains(t, res.Content, "sleep", "the error names the offered tools")
}

func TestParallelToolCallsAreCapped(t *testing.T) {
	tb := &recordingToolbox{}
	var calls []llm.ToolCall
	for i := range 20 {
		calls = append(calls, llm.ToolCall{ID: fmt.Sprintf("call_%d", i), Name: "sleep", Arguments: json.RawMessage(`{}`)})
	}
	p := llmtest.New(llmtest.Calls(calls...), llmtest.Text("ok"))
	ts := newServer(t, p, &server.Options{Toolbox: tb, MaxToolCalls: 4})
	post(t, ts, `{"model":"test-model","messages":[{"role":"user","content":"x"}]}`, nil)
	assert.Len(t, tb.ran(), 4)
	results := p.Requests()[1].Messages[len(p.Requests()[1].Messages)-1].Parts
	require.Len(t, results, 20, "every call gets a result")
	assert.False(t, results[3].ToolResult.IsError)
	assert.True(t, results[4].ToolResult.IsError)
	assert.Contains(t, results[4].ToolResult.Content, "at most 4")
}

func TestConcurrentRequestsAreCapped(t *testing.T) {
	g := &gatedProvider{started: make(chan struct{}), release: make(chan struct{})}
	ts := newServerFor(t, g, &server.Options{MaxConcurrent: 1})
	first := make(chan int, 1)
	go func() {
		status, _ := do(t, ts, `{"model":"test-model","messages":[{"role":"user","content":"x"}]}`, nil)
		first <- status
	}()
	<-g.started
	req, _ := http.NewRequestWithContext(t.Context(), "POST", ts.URL+"/v1/chat/completions",
		strings.NewReader(`{"model":"test-model","messages":[{"role":"user","content":"x"}]}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "%s", body)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	assert.Contains(t, string(body), "-max-concurrent")
	// Cheap endpoints are not counted.
	r, err := http.Get(ts.URL + "/v1/models")
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, 200, r.StatusCode)
	close(g.release)
	assert.Equal(t, 200, <-first)
}

func TestBufferedBodyMemoryIsCapped(t *testing.T) {
	g := &gatedProvider{started: make(chan struct{}), release: make(chan struct{})}
	ts := newServerFor(t, g, &server.Options{MaxBodyBytes: 64 << 10, MaxBodyMemory: 100 << 10})
	big := `{"model":"test-model","messages":[{"role":"user","content":"` + strings.Repeat("x", 60<<10) + `"}]}`
	first := make(chan int, 1)
	go func() {
		status, _ := do(t, ts, big, nil)
		first <- status
	}()
	<-g.started // the first body is held while its request runs
	status, body := do(t, ts, big, nil)
	assert.Equal(t, http.StatusTooManyRequests, status, "%s", body)
	assert.Contains(t, string(body), "-max-body-memory")
	close(g.release)
	assert.Equal(t, 200, <-first)
}

func TestBadFieldsAre400WithParam(t *testing.T) {
	ts := newServer(t, llmtest.New(), nil)
	user := `"messages":[{"role":"user","content":"x"}]`
	for _, tc := range []struct{ name, body, param string }{
		{"huge temperature", `{"model":"test-model","temperature":1e39,` + user + `}`, "temperature"},
		{"negative temperature", `{"model":"test-model","temperature":-1,` + user + `}`, "temperature"},
		{"top_p above 1", `{"model":"test-model","top_p":1.5,` + user + `}`, "top_p"},
		{"zero max_tokens", `{"model":"test-model","max_tokens":0,` + user + `}`, "max_tokens"},
		{"huge max_completion_tokens", `{"model":"test-model","max_completion_tokens":99999999999,` + user + `}`, "max_completion_tokens"},
		{"huge seed", `{"model":"test-model","seed":99999999999,` + user + `}`, "seed"},
		{"empty tool name", `{"model":"test-model","messages":[{"role":"user","content":"x"},` +
			`{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"","arguments":"{}"}}]},` +
			`{"role":"tool","tool_call_id":"c1","content":"ok"}]}`, "messages[1].tool_calls[0].function.name"},
		{"string parameters", `{"model":"test-model","tools":[{"type":"function","function":{"name":"f","parameters":"str"}}],` + user + `}`, "tools[0].function.parameters"},
		{"array parameters", `{"model":"test-model","tools":[{"type":"function","function":{"name":"f","parameters":[1]}}],` + user + `}`, "tools[0].function.parameters"},
		{"audio format", `{"model":"test-model","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"x/../evil"}}]}]}`, "messages[0].content[0].input_audio.format"},
		{"data URL type", `{"model":"test-model","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:application/x-msdownload;base64,AAAA"}}]}]}`, "messages[0].content[0].image_url.url"},
		{"image URL not an image", `{"model":"test-model","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:application/pdf;base64,AAAA"}}]}]}`, "messages[0].content[0].image_url.url"},
		{"trailing bytes", `{"model":"test-model",` + user + `} {"more":1}`, ""},
		{"trailing garbage", `{"model":"test-model",` + user + `}xyz`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := do(t, ts, tc.body, nil)
			assert.Equal(t, http.StatusBadRequest, status, "%s", body)
			var e struct {
				Error struct {
					Param *string `json:"param"`
					Type  string  `json:"type"`
				} `json:"error"`
			}
			require.NoError(t, json.Unmarshal(body, &e), "%s", body)
			assert.Equal(t, "invalid_request_error", e.Error.Type)
			if tc.param != "" {
				require.NotNil(t, e.Error.Param, "%s", body)
				assert.Equal(t, tc.param, *e.Error.Param)
			}
		})
	}
}

func TestWrongMethodIs405(t *testing.T) {
	ts := newServer(t, llmtest.New(), nil)
	for _, tc := range []struct{ method, path, allow string }{
		{"GET", "/v1/chat/completions", "POST"},
		{"PUT", "/v1/chat/completions", "POST"},
		{"POST", "/v1/models", "GET, HEAD"},
		{"DELETE", "/v1/models/test-model", "GET, HEAD"},
		{"POST", "/v1/tools", "GET, HEAD"},
	} {
		req, _ := http.NewRequestWithContext(t.Context(), tc.method, ts.URL+tc.path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, "%s %s: %s", tc.method, tc.path, body)
		assert.Equal(t, tc.allow, resp.Header.Get("Allow"), "%s %s", tc.method, tc.path)
		assert.Contains(t, string(body), `"type":"invalid_request_error"`)
	}
	status, _ := do(t, ts, `{}`, nil)
	assert.NotEqual(t, http.StatusMethodNotAllowed, status)
	resp, err := http.Get(ts.URL + "/v1/nope")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// newServerFor serves p with opts, its toolbox defaulting to sleep and LS.
func newServerFor(t *testing.T, p llm.Provider, opts *server.Options) *httptest.Server {
	t.Helper()
	if opts.Toolbox == nil {
		opts.Toolbox = sleepToolbox()
	}
	ts := httptest.NewServer(server.New(p, opts))
	t.Cleanup(ts.Close)
	return ts
}

// serve runs a Server on a real listener, as openaiserver does.
func serve(t *testing.T, p llm.Provider, opts *server.Options) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		server.New(p, opts).Serve(ctx, l)
	}()
	t.Cleanup(func() { stop(); <-done })
	return l.Addr().String()
}

func TestSlowBodiesAreCutOff(t *testing.T) {
	addr := serve(t, llmtest.New(), &server.Options{ReadTimeout: 200 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":", addr)
	// The server must give up on the body and close the connection; the
	// deadline here only keeps a failing test from hanging.
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, c)
	assert.NoError(t, err, "the server closed the connection (EOF) rather than keep waiting")
}

func TestIdleConnectionsAreClosed(t *testing.T) {
	addr := serve(t, llmtest.New(), &server.Options{IdleTimeout: 200 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	fmt.Fprintf(c, "GET /health HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	r := bufio.NewReader(c)
	resp, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, r)
	assert.NoError(t, err, "the idle keep-alive connection was closed")
}

func TestConnectionsAreCapped(t *testing.T) {
	addr := serve(t, llmtest.New(), &server.Options{MaxConnections: 2})
	var open []net.Conn
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	for range 2 {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		open = append(open, c)
	}
	// Both slots are held by silent connections; the server proves it has
	// accepted them by closing a third at once.
	var closed atomic.Bool
	require.Eventually(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		_, err = c.Read(make([]byte, 1))
		if err == io.EOF || isReset(err) {
			closed.Store(true)
		}
		return closed.Load()
	}, 5*time.Second, 10*time.Millisecond)
	open[0].Close()
	open = open[1:]
	// A slot is free again: a request is served.
	require.Eventually(t, func() bool {
		resp, err := (&http.Client{Timeout: time.Second}).Get("http://" + addr + "/health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}, 5*time.Second, 10*time.Millisecond)
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

func TestStreamsOutliveTheReadTimeout(t *testing.T) {
	// The read timeout bounds receiving a request; a stream that takes
	// longer than it to answer must not be cut.
	const readTimeout = 100 * time.Millisecond
	g := &gatedProvider{started: make(chan struct{}), release: make(chan struct{})}
	addr := serve(t, g, &server.Options{ReadTimeout: readTimeout})
	go func() {
		<-g.started
		time.AfterFunc(5*readTimeout, func() { close(g.release) })
	}()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", "http://"+addr+"/v1/chat/completions",
		strings.NewReader(`{"model":"test-model","stream":true,"messages":[{"role":"user","content":"x"}]}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), "data: [DONE]")
}
