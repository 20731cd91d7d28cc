package fakeopenai_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/owulveryck/gomcptest/fakes/internal/depcheck"
	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

func scenario(t *testing.T, text string) *fakeopenai.Scenario {
	t.Helper()
	sc, err := fakeopenai.ParseScenario("test.txtar", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func client(url, key string) *openai.Client {
	cfg := openai.DefaultConfig(key)
	cfg.BaseURL = url
	return openai.NewClientWithConfig(cfg)
}

func ask(text string) openai.ChatCompletionRequest {
	return openai.ChatCompletionRequest{
		Model: "gpt-3.5-turbo",
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "Be brief."},
			{Role: openai.ChatMessageRoleUser, Content: text},
		},
	}
}

func TestScriptedAnswers(t *testing.T) {
	ts := fakeopenai.NewTestServer(t, scenario(t, `
-- 1: plain --
expect text Summarise
expect system brief
text The text
text " says hello."
usage prompt=12 completion=3
-- 2: streamed --
expect stream
text Hello
text ", world"
finish length
model gpt-3.5-turbo-0125
`))
	c := client(ts.URL, "")

	res, err := c.CreateChatCompletion(t.Context(), ask("Summarise this"))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Choices[0].Message.Content; got != "The text says hello." {
		t.Errorf("content = %q", got)
	}
	if res.Usage.TotalTokens != 15 || res.Choices[0].FinishReason != openai.FinishReasonStop {
		t.Errorf("usage %+v finish %q, want total 15 and stop", res.Usage, res.Choices[0].FinishReason)
	}

	req := ask("Stream it")
	req.Stream = true
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	stream, err := c.CreateChatCompletionStream(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var text strings.Builder
	var finish openai.FinishReason
	var usage *openai.Usage
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Model != "gpt-3.5-turbo-0125" {
			t.Errorf("chunk model %q", r.Model)
		}
		for _, ch := range r.Choices {
			text.WriteString(ch.Delta.Content)
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
		}
		if r.Usage != nil {
			usage = r.Usage
		}
	}
	if text.String() != "Hello, world" || finish != openai.FinishReasonLength {
		t.Errorf("streamed %q finish %q", text.String(), finish)
	}
	if usage == nil || usage.CompletionTokens != 2 {
		t.Errorf("usage = %+v, want word counts", usage)
	}
}

// TestRefusals serves the fake with New, as NewTestServer would fail the
// test on each refusal.
func TestRefusals(t *testing.T) {
	srv := httptest.NewServer(fakeopenai.New(fakeopenai.Echo(0), &fakeopenai.Options{APIKey: "sk-test-secret"}))
	t.Cleanup(srv.Close)
	ts := struct{ URL string }{srv.URL + "/v1"}
	tests := []struct {
		name   string
		key    string
		req    func() openai.ChatCompletionRequest
		status int
		msg    string
	}{
		{"no key", "", func() openai.ChatCompletionRequest { return ask("hi") }, 401, "You didn't provide an API key"},
		{"wrong key", "sk-wrong-key-1234", func() openai.ChatCompletionRequest { return ask("hi") }, 401, "Incorrect API key provided: sk-**********1234"},
		{"unknown model", "sk-test-secret", func() openai.ChatCompletionRequest {
			r := ask("hi")
			r.Model = "gpt-9"
			return r
		}, 404, "The model `gpt-9` does not exist"},
		{"bad role", "sk-test-secret", func() openai.ChatCompletionRequest {
			r := ask("hi")
			r.Messages[0].Role = "robot"
			return r
		}, 400, "Invalid value: 'robot'"},
		{"no messages", "sk-test-secret", func() openai.ChatCompletionRequest {
			r := ask("hi")
			r.Messages = nil
			return r
		}, 400, "too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client(ts.URL, tt.key).CreateChatCompletion(t.Context(), tt.req())
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v, want an API error", err)
			}
			if apiErr.HTTPStatusCode != tt.status || !strings.Contains(apiErr.Message, tt.msg) {
				t.Errorf("got %d %q, want %d %q", apiErr.HTTPStatusCode, apiErr.Message, tt.status, tt.msg)
			}
		})
	}

	// Tool messages must answer the calls of the assistant message before
	// them, every one.
	call := func(id string) openai.ToolCall {
		return openai.ToolCall{ID: id, Type: "function", Function: openai.FunctionCall{Name: "f", Arguments: "{}"}}
	}
	for _, tt := range []struct {
		name string
		msgs []openai.ChatCompletionMessage
		msg  string
	}{
		{"result without a call", []openai.ChatCompletionMessage{
			{Role: "user", Content: "hi"},
			{Role: "tool", ToolCallID: "call_a", Content: "x"},
		}, "messages with role 'tool' must be a response to a preceding message with 'tool_calls'. (messages[1] answers call_a)"},
		{"call without a result", []openai.ChatCompletionMessage{
			{Role: "user", Content: "hi"},
			{Role: "assistant", ToolCalls: []openai.ToolCall{call("call_a"), call("call_b")}},
			{Role: "tool", ToolCallID: "call_a", Content: "x"},
			{Role: "user", Content: "and?"},
		}, "The following tool_call_ids did not have response messages: call_b (messages[1])"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ask("")
			r.Messages = tt.msgs
			_, err := client(ts.URL, "sk-test-secret").CreateChatCompletion(t.Context(), r)
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 || !strings.Contains(apiErr.Message, tt.msg) {
				t.Errorf("error %v, want a 400 saying %q", err, tt.msg)
			}
		})
	}

	// Unknown fields, which go-openai never sends.
	req, _ := http.NewRequest("POST", ts.URL+"/chat/completions",
		strings.NewReader(`{"model":"gpt-3.5-turbo","messages":[{"role":"user","content":"hi"}],"temprature":1}`))
	req.Header.Set("Authorization", "Bearer sk-test-secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "Unrecognized request argument supplied: temprature") {
		t.Errorf("unknown field: %d %s", resp.StatusCode, body)
	}

	// The echo answers with the right key.
	res, err := client(ts.URL, "sk-test-secret").CreateChatCompletion(t.Context(), ask("ping"))
	if err != nil || res.Choices[0].Message.Content != "You said: ping" {
		t.Errorf("echo = %+v, %v", res, err)
	}
}

func TestModels(t *testing.T) {
	ts := fakeopenai.NewTestResponder(t, fakeopenai.Echo(0), fakeopenai.WithModels("local-llama"))
	list, err := client(ts.URL, "").ListModels(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Models) != 1 || list.Models[0].ID != "local-llama" || list.Models[0].Object != "model" {
		t.Errorf("models = %+v", list.Models)
	}
	if _, err := client(ts.URL, "").GetModel(t.Context(), "gpt-4"); err == nil {
		t.Error("GetModel(gpt-4) succeeded, want 404")
	}
}

func TestScriptedErrorAndDelay(t *testing.T) {
	ts := fakeopenai.NewTestServer(t, scenario(t, `
-- busy --
error 429 Rate limit reached for requests
-- slow --
delay 1h
text never sent
`))
	c := client(ts.URL, "")
	_, err := c.CreateChatCompletion(t.Context(), ask("hi"))
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 429 || apiErr.Type != "requests" {
		t.Fatalf("error %v, want a 429 of type requests", err)
	}

	// A client that gives up ends the scripted latency.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.CreateChatCompletion(ctx, ask("hi")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want deadline exceeded", err)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %v", took)
	}
}

func TestScenarioErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"-- a --\nbogus x\n", "test.txtar:2: unknown directive \"bogus\""},
		{"-- a --\ntext hi\n-- b --\ndelay soon\n", "test.txtar:4: delay wants a Go duration"},
		{"-- a --\nerror 200 fine\n", "test.txtar:2: error wants an HTTP error code"},
		{"-- a --\ntext hi\nerror 500 boom\n", "test.txtar:1: turn \"a\": error answers alone"},
		{"no sections\n", "no turns"},
		{"-- a --\nexpect mood happy\n", "unknown expectation \"mood\""},
		{"-- a --\nfinish done\n", `test.txtar:2: finish wants stop, length, tool_calls or content_filter; got "done"`},
		{"-- a --\nfinish tool_calls\n", `test.txtar:1: turn "a": finish tool_calls needs at least one call`},
		{"-- a --\ncall get_weather {\"city\": \n", "test.txtar:2: call get_weather: arguments are not a JSON object"},
		{"-- a --\ncall x {} id=a\ncall y id=a\n", "test.txtar:3: call y: id a is already used in this turn"},
		{"-- a --\ncall x {} sig=1\n", `test.txtar:2: call x: unexpected "sig=1"`},
		{"-- a --\ncall 9$ {}\n", `test.txtar:2: call wants a function name first`},
		{"-- a --\ncall x\ntext hi\n", "test.txtar:3: text after a call"},
		{"-- a --\nexpect refused 401\ntext hi\n", `test.txtar:1: turn "a": expect refused stands alone`},
		{"-- a --\nexpect refused soon\n", "test.txtar:2: expect refused wants an HTTP error status"},
		{"-- a --\nexpect tool_result\n", "test.txtar:2: expect tool_result needs the id of the call it answers"},
	}
	for _, tt := range tests {
		_, err := fakeopenai.ParseScenario("test.txtar", []byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseScenario(%q) = %v, want %q", tt.text, err, tt.want)
		}
	}
}

// TestUnmetExpectation checks the fake answers 500 naming the turn; it runs
// the script directly, as NewTestServer would fail this test.
func TestUnmetExpectation(t *testing.T) {
	s := fakeopenai.NewScript(scenario(t, "-- greet --\nexpect text hello\ntext hi\n"))
	_, err := s.Respond(t.Context(), &fakeopenai.ChatRequest{Messages: []fakeopenai.Message{{Role: "user", Content: []byte(`"bye"`)}}})
	if err == nil || !strings.Contains(err.Error(), `test.txtar:1 (greet): expected the last user message to contain "hello", got "bye"`) {
		t.Errorf("err = %v", err)
	}
	if _, err := s.Respond(t.Context(), &fakeopenai.ChatRequest{}); err == nil || !strings.Contains(err.Error(), "unexpected request 2") {
		t.Errorf("second request: err = %v", err)
	}
}

// TestLightImports keeps the fake free of heavy dependencies: it must not
// pull in the OpenAI client it fakes.
func TestLightImports(t *testing.T) {
	depcheck.Light(t, ".")
}
