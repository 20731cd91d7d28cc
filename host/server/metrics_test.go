package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/llmtest"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

func scrape(t *testing.T, url string, hdr map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url+"/metrics", nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// value reads one sample of a metric from Prometheus text.
func value(t *testing.T, text, sample string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`).FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	return v
}

func TestMetricsMoveWithAChat(t *testing.T) {
	p := llmtest.New(
		llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":1}`)}),
		llmtest.Text("done"),
	)
	ts := newServer(t, p, nil)
	_, before := scrape(t, ts.URL, nil)
	post(t, ts, `{"model":"test-model","stream":true,"messages":[{"role":"user","content":"sleep 1"}]}`, nil)
	status, after := scrape(t, ts.URL, nil)
	require.Equal(t, 200, status)
	for _, sample := range []string{
		`gomcptest_http_requests_total{route="POST /v1/chat/completions",status="200"}`,
		`gomcptest_tool_calls_total{outcome="ok",tool="sleep"}`,
		`gomcptest_tool_call_duration_seconds_count{tool="sleep"}`,
		`gomcptest_chat_duration_seconds_count{model="test-model",stream="true"}`,
		`gomcptest_chat_time_to_first_token_seconds_count{model="test-model"}`,
	} {
		assert.Equal(t, value(t, before, sample)+1, value(t, after, sample), sample)
	}
	assert.Positive(t, value(t, after, `gomcptest_chat_tokens_total{direction="in",model="test-model"}`))
	assert.Positive(t, value(t, after, `gomcptest_chat_tokens_total{direction="out",model="test-model"}`))
	assert.Equal(t, 0.0, value(t, after, `gomcptest_chat_streams_in_flight`))
}

func TestMetricsNeedTheAPIKey(t *testing.T) {
	ts := newServer(t, llmtest.New(), &server.Options{APIKeys: []string{"sekret"}})
	status, _ := scrape(t, ts.URL, nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	status, _ = scrape(t, ts.URL, map[string]string{"Authorization": "Bearer sekret"})
	assert.Equal(t, http.StatusOK, status)

	separate := newServer(t, llmtest.New(), &server.Options{SeparateMetrics: true})
	status, _ = scrape(t, separate.URL, nil)
	assert.Equal(t, http.StatusNotFound, status, "served elsewhere, not on the API")
}

// statusToolbox reports fixed server states.
type statusToolbox struct {
	*fakeToolbox
	status []toolbox.ServerStatus
}

func (s statusToolbox) Status() []toolbox.ServerStatus { return s.status }

func TestHealthAndReady(t *testing.T) {
	ready := make(chan struct{})
	tb := statusToolbox{sleepToolbox(), []toolbox.ServerStatus{
		{Name: "sleep", State: toolbox.StateRunning},
		{Name: "Bash", State: toolbox.StateFailed, Restarts: 3, Error: "exec: not found"},
	}}
	ts := newServer(t, llmtest.New(), &server.Options{Toolbox: tb, Ready: ready, Backend: "offline"})
	get := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get("/ready")
	assert.Equal(t, http.StatusServiceUnavailable, status, body)
	status, body = get("/health")
	assert.Equal(t, 200, status)
	assert.JSONEq(t, `{"status":"starting","backend":"offline","models":1,"tools":0,"servers":[]}`, body)

	close(ready)
	status, _ = get("/ready")
	assert.Equal(t, 200, status)
	_, body = get("/health")
	assert.JSONEq(t, `{"status":"degraded","backend":"offline","models":1,"tools":2,"servers":[
		{"name":"sleep","state":"running","restarts":0},
		{"name":"Bash","state":"failed","restarts":3,"error":"exec: not found"}]}`, body)
	_, metrics := scrape(t, ts.URL, nil)
	assert.Equal(t, 3.0, value(t, metrics, `gomcptest_mcp_server_restarts_total{server="Bash"}`))
}
