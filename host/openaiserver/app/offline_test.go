package app

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/server"
)

// offlineHost serves the host as openaiserver does without credentials:
// the offline model in-process, behind genai and the Gemini provider. It
// runs no MCP tool: the tools are the client's.
func offlineHost(t *testing.T) *goopenai.Client {
	t.Helper()
	cfg, err := parseConfig(nil, func(string) string { return "" }, nil)
	require.NoError(t, err)
	provider, err := backend.Provider(t.Context(), cfg.backend, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	api := httptest.NewServer(server.New(provider, nil))
	t.Cleanup(api.Close)
	c := goopenai.DefaultConfig("unused")
	c.BaseURL = api.URL + "/v1"
	return goopenai.NewClientWithConfig(c)
}

// clientTools are two functions the client runs itself.
func clientTools() []goopenai.Tool {
	fn := func(name, desc, schema string) goopenai.Tool {
		return goopenai.Tool{Type: goopenai.ToolTypeFunction, Function: &goopenai.FunctionDefinition{
			Name: name, Description: desc, Parameters: json.RawMessage(schema),
		}}
	}
	return []goopenai.Tool{
		fn("get_weather", "The weather of a city.", `{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}`),
		fn("get_time", "The time in a time zone.", `{"type":"object","properties":{"timezone":{"type":"string"}},"required":["timezone"]}`),
	}
}

// answer is what a client sees of one completion, streamed or not.
type answer struct {
	content string
	calls   []string // NAME ARGS
	finish  goopenai.FinishReason
}

func complete(t *testing.T, c *goopenai.Client, req goopenai.ChatCompletionRequest) answer {
	t.Helper()
	var a answer
	if !req.Stream {
		resp, err := c.CreateChatCompletion(t.Context(), req)
		require.NoError(t, err)
		m := resp.Choices[0].Message
		a.content, a.finish = m.Content, resp.Choices[0].FinishReason
		for _, tc := range m.ToolCalls {
			a.calls = append(a.calls, tc.Function.Name+" "+tc.Function.Arguments)
		}
		return a
	}
	stream, err := c.CreateChatCompletionStream(t.Context(), req)
	require.NoError(t, err)
	defer stream.Close()
	var text strings.Builder
	var names, args []string
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		for _, ch := range chunk.Choices {
			text.WriteString(ch.Delta.Content)
			for _, tc := range ch.Delta.ToolCalls {
				i := 0
				if tc.Index != nil {
					i = *tc.Index
				}
				for len(names) <= i {
					names, args = append(names, ""), append(args, "")
				}
				names[i] += tc.Function.Name
				args[i] += tc.Function.Arguments
			}
			if ch.FinishReason != "" {
				a.finish = ch.FinishReason
			}
		}
	}
	a.content = text.String()
	for i := range names {
		a.calls = append(a.calls, names[i]+" "+args[i])
	}
	return a
}

// Real OpenAI clients force or forbid tool calls with tool_choice; the
// offline model obeys it as Gemini obeys the function calling mode the
// host maps it to, streamed or not.
func TestOfflineToolChoice(t *testing.T) {
	c := offlineHost(t)
	named := goopenai.ToolChoice{Type: goopenai.ToolTypeFunction, Function: goopenai.ToolFunction{Name: "get_time"}}
	tests := []struct {
		name   string
		choice any
		say    string
		calls  []string
		finish goopenai.FinishReason
		text   string // a substring of the content
	}{
		{"auto greets", nil, "hello", nil, goopenai.FinishReasonStop, "offline model"},
		{"auto calls the tool named", "auto", "use get_weather for Paris", []string{`get_weather {"city":"Paris"}`}, goopenai.FinishReasonToolCalls, "Calling `get_weather`."},
		{"required calls even for hello", "required", "hello", []string{`get_weather {"city":"hello"}`}, goopenai.FinishReasonToolCalls, ""},
		{"required takes the best match", "required", "use get_time for Europe/Paris", []string{`get_time {"timezone":"Europe/Paris"}`}, goopenai.FinishReasonToolCalls, ""},
		{"the named tool takes the question's values", "required", "What time is it in Tokyo? Use get_time.", []string{`get_time {"timezone":"Tokyo"}`}, goopenai.FinishReasonToolCalls, ""},
		{"a named function is the one called", named, "use get_weather for Paris", []string{`get_time {"timezone":"Paris"}`}, goopenai.FinishReasonToolCalls, ""},
		{"none never calls", "none", "use get_weather for Paris", nil, goopenai.FinishReasonStop, "turned off"},
	}
	for _, tc := range tests {
		for _, stream := range []bool{false, true} {
			name := tc.name
			if stream {
				name += " streamed"
			}
			t.Run(name, func(t *testing.T) {
				a := complete(t, c, goopenai.ChatCompletionRequest{
					Model:      "gemini-2.5-flash",
					Messages:   []goopenai.ChatCompletionMessage{{Role: "user", Content: tc.say}},
					Tools:      clientTools(),
					ToolChoice: tc.choice,
					Stream:     stream,
				})
				assert.Equal(t, tc.calls, a.calls)
				assert.Equal(t, tc.finish, a.finish)
				assert.Contains(t, a.content, tc.text)
			})
		}
	}
}
