package fakeopenai_test

import (
	"encoding/json"
	"fmt"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/owulveryck/gomcptest/fakes/internal/stubtb"
	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

// runAsTest runs the body of a test as go test would, so that an example
// can show one.
func runAsTest(test func(t testing.TB)) { stubtb.Run(test) }

// A test of code that runs tools for a model, through go-openai: the fake
// model calls a function twice at once, then answers only if both results
// came back.
func ExampleNewTestServer() {
	// The body of a test; t is its *testing.T.
	test := func(t testing.TB) {
		sc, err := fakeopenai.ParseScenario("weather.txtar", []byte(`
-- ask for the weather --
expect tool get_weather
call get_weather {"city": "Paris"} id=call_paris
call get_weather {"city": "Tokyo"} id=call_tokyo
-- answer --
expect tool_result call_paris sunny
expect tool_result call_tokyo rain
text Sunny in Paris, rain in Tokyo.
`))
		if err != nil {
			t.Fatal(err)
		}
		ts := fakeopenai.NewTestServer(t, sc)

		cfg := openai.DefaultConfig("any key")
		cfg.BaseURL, cfg.HTTPClient = ts.URL, ts.HTTPClient()
		client := openai.NewClientWithConfig(cfg)
		req := openai.ChatCompletionRequest{
			Model:    "gpt-4o-mini",
			Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Weather in Paris and Tokyo?"}},
			Tools: []openai.Tool{{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
				Name:       "get_weather",
				Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}}}`),
			}}},
		}
		weather := map[string]string{"Paris": "sunny", "Tokyo": "rain"}

		res, err := client.CreateChatCompletion(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		msg := res.Choices[0].Message
		fmt.Println("finish:", res.Choices[0].FinishReason)
		req.Messages = append(req.Messages, msg)
		for _, call := range msg.ToolCalls {
			var args struct{ City string }
			json.Unmarshal([]byte(call.Function.Arguments), &args)
			fmt.Println("call:", call.Function.Name, call.Function.Arguments)
			req.Messages = append(req.Messages, openai.ChatCompletionMessage{
				Role: openai.ChatMessageRoleTool, ToolCallID: call.ID, Content: weather[args.City],
			})
		}

		res, err = client.CreateChatCompletion(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("answer:", res.Choices[0].Message.Content)
	}
	runAsTest(test)
	// Output:
	// finish: tool_calls
	// call: get_weather {"city":"Paris"}
	// call: get_weather {"city":"Tokyo"}
	// answer: Sunny in Paris, rain in Tokyo.
}

// A turn scripted in Go rather than in a scenario file.
func ExampleTurn() {
	test := func(t testing.TB) {
		ts := fakeopenai.NewTestServer(t, &fakeopenai.Scenario{Name: "in Go", Steps: []*fakeopenai.Step{{
			Label: "look up",
			Turn: &fakeopenai.Turn{
				Chunks:    []string{"Looking it up."},
				ToolCalls: []fakeopenai.ToolCall{{ID: "call_1", Name: "search", Arguments: `{"q":"gomcptest"}`}},
			},
		}}})
		cfg := openai.DefaultConfig("any key")
		cfg.BaseURL, cfg.HTTPClient = ts.URL, ts.HTTPClient()
		res, err := openai.NewClientWithConfig(cfg).CreateChatCompletion(t.Context(), openai.ChatCompletionRequest{
			Model:    "gpt-4o-mini",
			Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "Search gomcptest"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		msg := res.Choices[0].Message
		fmt.Println(msg.Content, msg.ToolCalls[0].ID, msg.ToolCalls[0].Function.Name, msg.ToolCalls[0].Function.Arguments)
	}
	runAsTest(test)
	// Output: Looking it up. call_1 search {"q":"gomcptest"}
}
