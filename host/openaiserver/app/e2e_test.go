package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genai"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/llm/gemini"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
	"github.com/owulveryck/gomcptest/tools/sleep"
)

// host wires the whole host as openaiserver does, against a scripted fake
// Vertex AI, with the real sleep tool served over streamable HTTP, and
// returns a go-openai client for it.
func host(t *testing.T, scenario string) (*goopenai.Client, *fakegemini.TestServer) {
	t.Helper()
	fake := scriptedGemini(t, scenario)
	api := replica(t, fake, &server.Options{})
	cfg := goopenai.DefaultConfig("unused")
	cfg.BaseURL = api.URL + "/v1"
	return goopenai.NewClientWithConfig(cfg), fake
}

// scriptedGemini starts a fake Vertex AI playing scenario.
func scriptedGemini(t *testing.T, scenario string) *fakegemini.TestServer {
	t.Helper()
	sc, err := fakegemini.ParseScenario(t.Name()+".txtar", []byte(scenario))
	require.NoError(t, err)
	return fakegemini.NewTestServer(t, sc)
}

// replica starts one host on fake, with its own sleep tool server and
// toolbox, built with opts (its Toolbox is set here).
func replica(t *testing.T, fake *fakegemini.TestServer, opts *server.Options) *httptest.Server {
	t.Helper()
	tools := mcp.NewServer(&mcp.Implementation{Name: "sleep"}, nil)
	sleep.Register(tools, nil)
	mcpSrv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return tools }, nil))
	t.Cleanup(mcpSrv.Close)
	tb, err := toolbox.New(t.Context(), []toolbox.ServerSpec{{URL: mcpSrv.URL}}, nil)
	require.NoError(t, err)
	t.Cleanup(func() { tb.Close() })

	client, err := genai.NewClient(t.Context(), backend.Config{
		Project: "test-project", Location: "us-central1",
		BaseURL: fake.URL, HTTPClient: fake.HTTPClient(),
	}.GenaiConfig())
	require.NoError(t, err)
	provider := gemini.NewProvider(gemini.Config{Client: client, Models: []string{"gemini-2.5-flash"}}, nil)
	opts.Toolbox = tb
	api := httptest.NewServer(server.New(provider, opts))
	t.Cleanup(api.Close)
	return api
}

const parallelNaps = `Two naps at once, the first call signed, as Gemini signs parallel calls.

-- 1: two sleeps --
expect tool sleep
thought Two short naps are asked for.
call sleep {"seconds": 0} id=nap-1 sig=auto
+call sleep {"seconds": 0.01} id=nap-2
-- 2: report --
expect response sleep
text Both naps
text " are over."
usage prompt=40 candidates=4
`

func TestVertexToolLoopNonStreaming(t *testing.T) {
	c, fake := host(t, parallelNaps)
	resp, err := c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{
		Model:    "gemini-2.5-flash",
		Messages: []goopenai.ChatCompletionMessage{{Role: "user", Content: "Take two short naps."}},
	})
	require.NoError(t, err)
	assert.Equal(t, "Both naps are over.", resp.Choices[0].Message.Content)
	assert.Equal(t, goopenai.FinishReasonStop, resp.Choices[0].FinishReason)

	// The second request carried both results, in one user content, and
	// the signature the fake issued (the fake refuses it otherwise).
	reqs := fake.Requests()
	require.Len(t, reqs, 2)
	last := reqs[1].Contents[len(reqs[1].Contents)-1]
	assert.Equal(t, "user", last.Role)
	require.Len(t, last.Parts, 2)
	assert.Equal(t, "sleep", last.Parts[0].FunctionResponse.Name)
}

func TestVertexToolLoopStreamed(t *testing.T) {
	c, _ := host(t, parallelNaps)
	a := complete(t, c, goopenai.ChatCompletionRequest{
		Model:    "gemini-2.5-flash|sleep",
		Messages: []goopenai.ChatCompletionMessage{{Role: "user", Content: "Take two short naps."}},
		Stream:   true,
	})
	assert.Equal(t, "Both naps are over.", a.content)
	assert.Equal(t, goopenai.FinishReasonStop, a.finish)
}

func TestVertexClientToolRoundTrip(t *testing.T) {
	c, fake := host(t, `The client runs get_weather itself.

-- 1: ask the client --
expect tool get_weather
call get_weather {"city": "Paris"} id=w-1
-- 2: answer --
expect response get_weather
text It is sunny in Paris.
`)
	tools := []goopenai.Tool{{Type: goopenai.ToolTypeFunction, Function: &goopenai.FunctionDefinition{
		Name: "get_weather", Description: "Weather of a city.",
		Parameters: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}},
	}}}
	msgs := []goopenai.ChatCompletionMessage{{Role: "user", Content: "Weather in Paris?"}}
	resp, err := c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "gemini-2.5-flash", Messages: msgs, Tools: tools})
	require.NoError(t, err)
	choice := resp.Choices[0]
	require.Equal(t, goopenai.FinishReasonToolCalls, choice.FinishReason)
	require.Len(t, choice.Message.ToolCalls, 1)
	assert.JSONEq(t, `{"city":"Paris"}`, choice.Message.ToolCalls[0].Function.Arguments)

	msgs = append(msgs, choice.Message, goopenai.ChatCompletionMessage{Role: "tool", ToolCallID: choice.Message.ToolCalls[0].ID, Content: `{"sky":"sunny"}`})
	resp, err = c.CreateChatCompletion(t.Context(), goopenai.ChatCompletionRequest{Model: "gemini-2.5-flash", Messages: msgs, Tools: tools})
	require.NoError(t, err)
	assert.Equal(t, "It is sunny in Paris.", resp.Choices[0].Message.Content)
	fr := fake.Requests()[1].Contents[2].Parts[0].FunctionResponse
	assert.Equal(t, "get_weather", fr.Name)
	assert.Equal(t, "w-1", fr.ID, "Gemini's call id goes back with the result")
}
