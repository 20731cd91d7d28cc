package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/host/server"
)

// A roundRobin is a reverse proxy that sends each request to the next of
// its backends in turn, as a load balancer without affinity does.
type roundRobin struct {
	backends []*url.URL

	mu     sync.Mutex
	next   int
	served []int // the backend of each request, in order
}

func newRoundRobin(t *testing.T, backends ...*httptest.Server) (*roundRobin, *httptest.Server) {
	rr := &roundRobin{}
	for _, b := range backends {
		u, err := url.Parse(b.URL)
		require.NoError(t, err)
		rr.backends = append(rr.backends, u)
	}
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		rr.mu.Lock()
		i := rr.next
		rr.next = (rr.next + 1) % len(rr.backends)
		rr.served = append(rr.served, i)
		rr.mu.Unlock()
		r.SetURL(rr.backends[i])
		r.SetXForwarded()
	}})
	t.Cleanup(proxy.Close)
	return rr, proxy
}

func (rr *roundRobin) order() []int {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return append([]int(nil), rr.served...)
}

// signatureKeeper is what a client does that keeps Gemini's thought
// signatures, which go-openai's types have no field for: it remembers
// tool_calls[i].extra_content of each answer by call id, and puts it back
// on the calls of the history it sends. Without it, the signatures are
// lost on the way back.
type signatureKeeper struct {
	mu    sync.Mutex
	extra map[string]json.RawMessage // by tool call id
	next  http.RoundTripper
}

type toolCallsJSON struct {
	ToolCalls []map[string]json.RawMessage `json:"tool_calls"`
}

func (k *signatureKeeper) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body.Close()
		body = k.restore(body)
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	}
	resp, err := k.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var answer struct {
		Choices []struct {
			Message toolCallsJSON `json:"message"`
		} `json:"choices"`
	}
	if json.Unmarshal(body, &answer) == nil {
		k.mu.Lock()
		for _, ch := range answer.Choices {
			for _, tc := range ch.Message.ToolCalls {
				var id string
				if json.Unmarshal(tc["id"], &id) == nil && tc["extra_content"] != nil {
					k.extra[id] = tc["extra_content"]
				}
			}
		}
		k.mu.Unlock()
	}
	return resp, nil
}

// restore puts the remembered extra_content back on the history's calls.
func (k *signatureKeeper) restore(body []byte) []byte {
	var req map[string]json.RawMessage
	var msgs []map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil || json.Unmarshal(req["messages"], &msgs) != nil {
		return body
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, m := range msgs {
		var calls []map[string]json.RawMessage
		if json.Unmarshal(m["tool_calls"], &calls) != nil {
			continue
		}
		for _, c := range calls {
			var id string
			if json.Unmarshal(c["id"], &id) == nil && k.extra[id] != nil {
				c["extra_content"] = k.extra[id]
			}
		}
		m["tool_calls"], _ = json.Marshal(calls)
	}
	req["messages"], _ = json.Marshal(msgs)
	out, err := json.Marshal(req)
	if err != nil {
		return body
	}
	return out
}

// replicas starts two hosts on one fake Gemini behind a round-robin proxy
// and returns a go-openai client for the proxy, keeping thought signatures
// when keep is set.
func replicas(t *testing.T, scenario string, keep bool) (*goopenai.Client, *roundRobin, *fakegemini.TestServer) {
	t.Helper()
	fake := scriptedGemini(t, scenario)
	const key = "sk-replicas"
	a := replica(t, fake, &server.Options{APIKeys: []string{key}})
	b := replica(t, fake, &server.Options{APIKeys: []string{key}})
	rr, proxy := newRoundRobin(t, a, b)
	cfg := goopenai.DefaultConfig(key)
	cfg.BaseURL = proxy.URL + "/v1"
	if keep {
		cfg.HTTPClient = &http.Client{Transport: &signatureKeeper{extra: map[string]json.RawMessage{}, next: http.DefaultTransport}}
	}
	return goopenai.NewClientWithConfig(cfg), rr, fake
}

// alternating is a conversation in three requests, each signed call of
// the model a host tool (sleep, run by the replica serving the request)
// or a client tool (get_weather, answered by the client in the next
// request, to the other replica).
const alternating = `The model naps on the host, asks the client for the weather, naps again on the other replica, asks again, then answers.

-- 1: host tool (replica A) --
expect tool get_weather
thought A nap first.
call sleep {"seconds": 0} id=nap-1 sig=auto
-- 2: client tool (replica A) --
expect response sleep
call get_weather {"city": "Paris"} id=w-1 sig=auto
-- 3: host tool (replica B) --
expect response get_weather
call sleep {"seconds": 0.01} id=nap-2 sig=auto
-- 4: client tool (replica B) --
expect response sleep
call get_weather {"city": "Lyon"} id=w-2 sig=auto
-- 5: answer (replica A) --
expect response get_weather
text Sunny in Paris, rain in Lyon.
`

var weatherTool = []goopenai.Tool{{Type: goopenai.ToolTypeFunction, Function: &goopenai.FunctionDefinition{
	Name: "get_weather", Description: "Weather of a city.",
	Parameters: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}},
}}}

// TestReplicasRoundRobin: a conversation with host and client tool calls,
// whose requests alternate between two replicas behind a round-robin
// proxy, completes: the host keeps no state between requests, and each
// thought signature comes back to Gemini intact through the client's
// history (the fake refuses a signed call that comes back without its
// signature, or with another).
func TestReplicasRoundRobin(t *testing.T) {
	c, rr, fake := replicas(t, alternating, true)
	msgs := []goopenai.ChatCompletionMessage{{Role: "user", Content: "Nap, then tell me the weather in Paris and Lyon."}}
	for i, sky := range []string{`{"sky":"sunny"}`, `{"sky":"rain"}`} {
		resp, err := c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "gemini-2.5-flash", Messages: msgs, Tools: weatherTool})
		require.NoError(t, err, "request %d", i+1)
		choice := resp.Choices[0]
		require.Equal(t, goopenai.FinishReasonToolCalls, choice.FinishReason, "request %d", i+1)
		require.Len(t, choice.Message.ToolCalls, 1)
		assert.Equal(t, "get_weather", choice.Message.ToolCalls[0].Function.Name)
		msgs = append(msgs, choice.Message, goopenai.ChatCompletionMessage{Role: "tool", ToolCallID: choice.Message.ToolCalls[0].ID, Content: sky})
	}
	resp, err := c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "gemini-2.5-flash", Messages: msgs, Tools: weatherTool})
	require.NoError(t, err)
	assert.Equal(t, "Sunny in Paris, rain in Lyon.", resp.Choices[0].Message.Content)
	assert.Equal(t, goopenai.FinishReasonStop, resp.Choices[0].FinishReason)

	assert.Equal(t, []int{0, 1, 0}, rr.order(), "the requests alternate between the replicas")
	reqs := fake.Requests()
	require.Len(t, reqs, 5)
	// The last request carries both client calls back, each with the
	// signature the fake issued for it.
	var signed []string
	for _, content := range reqs[4].Contents {
		for _, p := range content.Parts {
			if p.FunctionCall != nil && len(p.ThoughtSignature) > 0 {
				signed = append(signed, p.FunctionCall.ID)
			}
		}
	}
	assert.Equal(t, []string{"w-1", "w-2"}, signed)
}

// TestReplicasLoseUnkeptSignatures is the control: a client that drops
// extra_content (go-openai's types alone) sends the history back unsigned,
// and the fake refuses it as Gemini 3 does.
func TestReplicasLoseUnkeptSignatures(t *testing.T) {
	c, _, fake := replicas(t, `The first two turns of the conversation; the third request is refused.

-- 1: host tool --
call sleep {"seconds": 0} id=nap-1 sig=auto
-- 2: client tool --
expect response sleep
call get_weather {"city": "Paris"} id=w-1 sig=auto
-- 3: the unsigned history is refused --
expect refused 400 thought_signature
`, false)
	msgs := []goopenai.ChatCompletionMessage{{Role: "user", Content: "Weather in Paris?"}}
	resp, err := c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "gemini-2.5-flash", Messages: msgs, Tools: weatherTool})
	require.NoError(t, err)
	call := resp.Choices[0].Message.ToolCalls[0]
	msgs = append(msgs, resp.Choices[0].Message, goopenai.ChatCompletionMessage{Role: "tool", ToolCallID: call.ID, Content: `{"sky":"sunny"}`})
	_, err = c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "gemini-2.5-flash", Messages: msgs, Tools: weatherTool})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "thought_signature")
	assert.Len(t, fake.Requests(), 2, "the unsigned request did not pass")
}
