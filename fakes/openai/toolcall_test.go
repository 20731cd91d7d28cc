package fakeopenai_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/owulveryck/gomcptest/fakes/internal/stubtb"
	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

// twoCities calls get_weather twice in parallel, then checks both results
// came back before it answers.
const twoCities = `The model asks for the weather of two cities at once.

-- 1: two calls --
expect tool get_weather
text Let me check.
call get_weather {"city": "Paris"} id=call_paris
call get_weather {"city": "Tokyo"}
-- 2: report --
expect tool_result call_paris sunny
expect tool_result call_2 rain
text Sunny in Paris, rain in Tokyo.
`

var weatherTool = openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
	Name:       "get_weather",
	Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}}}`),
}}

// complete sends req, streamed or not, and returns the assistant message
// as go-openai users rebuild it from a stream, with the finish reason.
func complete(t *testing.T, c *openai.Client, req openai.ChatCompletionRequest) (openai.ChatCompletionMessage, openai.FinishReason) {
	t.Helper()
	if !req.Stream {
		res, err := c.CreateChatCompletion(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		return res.Choices[0].Message, res.Choices[0].FinishReason
	}
	stream, err := c.CreateChatCompletionStream(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	msg := openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant}
	var finish openai.FinishReason
	names := map[int]int{} // deltas naming each index
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range r.Choices {
			msg.Content += ch.Delta.Content
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
			for _, d := range ch.Delta.ToolCalls {
				i := *d.Index
				if i == len(msg.ToolCalls) {
					msg.ToolCalls = append(msg.ToolCalls, openai.ToolCall{Index: d.Index})
				}
				tc := &msg.ToolCalls[i]
				if d.Function.Name != "" {
					names[i]++
					tc.ID, tc.Type, tc.Function.Name = d.ID, d.Type, d.Function.Name
				}
				tc.Function.Arguments += d.Function.Arguments
			}
		}
	}
	for i, n := range names {
		if n != 1 {
			t.Errorf("call %d named in %d deltas, want 1", i, n)
		}
	}
	return msg, finish
}

func TestToolRoundTrip(t *testing.T) {
	for _, stream := range []bool{true, false} {
		name := map[bool]string{true: "streamed", false: "not streamed"}[stream]
		t.Run(name, func(t *testing.T) {
			ts := fakeopenai.NewTestServer(t, scenario(t, twoCities))
			c := client(ts.URL, "")
			req := ask("Weather in Paris and Tokyo?")
			req.Tools, req.Stream = []openai.Tool{weatherTool}, stream

			msg, finish := complete(t, c, req)
			if finish != openai.FinishReasonToolCalls {
				t.Errorf("finish %q, want tool_calls", finish)
			}
			if msg.Content != "Let me check." {
				t.Errorf("content %q", msg.Content)
			}
			var got []string
			for _, tc := range msg.ToolCalls {
				got = append(got, tc.ID+" "+string(tc.Type)+" "+tc.Function.Name+" "+tc.Function.Arguments)
			}
			want := []string{`call_paris function get_weather {"city":"Paris"}`, `call_2 function get_weather {"city":"Tokyo"}`}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			// The results go back in the calls' order reversed: the fake
			// matches them by id.
			req.Messages = append(req.Messages, msg,
				openai.ChatCompletionMessage{Role: openai.ChatMessageRoleTool, ToolCallID: "call_2", Content: "heavy rain"},
				openai.ChatCompletionMessage{Role: openai.ChatMessageRoleTool, ToolCallID: "call_paris", Content: "sunny, 24°C"})
			msg, finish = complete(t, c, req)
			if msg.Content != "Sunny in Paris, rain in Tokyo." || finish != openai.FinishReasonStop || len(msg.ToolCalls) != 0 {
				t.Errorf("final answer %+v, finish %q", msg, finish)
			}
			if n := len(ts.Requests()); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
		})
	}
}

// TestToolCallWire checks the raw shapes against what WIRE.md lists: per
// index, id, type and name once, then only argument fragments, always
// inside a function object; content null in an answer that only calls.
func TestToolCallWire(t *testing.T) {
	ts := fakeopenai.NewTestServer(t, scenario(t, `
-- streamed --
call lookup {"query": "a long enough query to come in pieces"} id=a
call lookup {"query": "b"} id=b
-- whole --
call lookup {"query": "c"} id=c
finish stop
`))
	post := func(body string) *http.Response {
		t.Helper()
		resp, err := ts.HTTPClient().Post(ts.URL+"/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	resp := post(`{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"go"}]}`)
	type call struct {
		Index    *int            `json:"index"`
		ID       *string         `json:"id"`
		Type     *string         `json:"type"`
		Function json.RawMessage `json:"function"`
	}
	seen := map[int]int{}
	args := map[int]string{}
	var finish string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var c struct {
			Choices []struct {
				Delta struct {
					ToolCalls []call `json:"tool_calls"`
				} `json:"delta"`
				FinishReason *string `json:"finish_reason"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		for _, tc := range c.Choices[0].Delta.ToolCalls {
			var fn struct {
				Name      *string `json:"name"`
				Arguments *string `json:"arguments"`
			}
			if tc.Index == nil || json.Unmarshal(tc.Function, &fn) != nil || fn.Arguments == nil {
				t.Fatalf("delta %s: want an index and a function object with arguments", data)
			}
			first := seen[*tc.Index] == 0
			seen[*tc.Index]++
			if named := tc.ID != nil && tc.Type != nil && *tc.Type == "function" && fn.Name != nil; named != first {
				t.Errorf("delta %s: id, type and name belong to the first delta of an index, and only there", data)
			}
			args[*tc.Index] += *fn.Arguments
		}
		if f := c.Choices[0].FinishReason; f != nil {
			finish = *f
		}
	}
	if seen[0] < 3 || seen[1] < 2 || args[0] != `{"query":"a long enough query to come in pieces"}` || args[1] != `{"query":"b"}` {
		t.Errorf("deltas per index %v, arguments %v", seen, args)
	}
	if finish != "tool_calls" {
		t.Errorf("finish_reason %q, want tool_calls", finish)
	}

	resp = post(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"go"}]}`)
	body, _ := io.ReadAll(resp.Body)
	want := `"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"lookup","arguments":"{\"query\":\"c\"}"}}]},"finish_reason":"stop"`
	if !strings.Contains(string(body), want) {
		t.Errorf("answer %s\nwant it to hold %s", body, want)
	}
}

// TestToolCallsInGo scripts the calls of a turn in Go: a call without an
// id gets one.
func TestToolCallsInGo(t *testing.T) {
	ts := fakeopenai.NewTestServer(t, &fakeopenai.Scenario{Name: "in Go", Steps: []*fakeopenai.Step{{
		Label: "call",
		Turn:  &fakeopenai.Turn{ToolCalls: []fakeopenai.ToolCall{{Name: "get_weather", Arguments: `{"city":"Oslo"}`}}},
	}}})
	res, err := client(ts.URL, "").CreateChatCompletion(t.Context(), ask("Oslo?"))
	if err != nil {
		t.Fatal(err)
	}
	calls := res.Choices[0].Message.ToolCalls
	if len(calls) != 1 || !strings.HasPrefix(calls[0].ID, "call_") || calls[0].Function.Arguments != `{"city":"Oslo"}` || res.Choices[0].FinishReason != "tool_calls" {
		t.Errorf("answer %+v", res.Choices[0])
	}
}

// weatherRequest asks for the weather with key; results, when given, are
// those of the calls call_paris and call_2, in this order.
func weatherRequest(t *testing.T, url, key string, results ...string) {
	req := ask("weather?")
	req.Tools = []openai.Tool{weatherTool}
	if len(results) > 0 {
		msg := openai.ChatCompletionMessage{Role: "assistant"}
		var answers []openai.ChatCompletionMessage
		for i, r := range results {
			id := []string{"call_paris", "call_2"}[i]
			msg.ToolCalls = append(msg.ToolCalls, openai.ToolCall{ID: id, Type: "function", Function: openai.FunctionCall{Name: "get_weather", Arguments: "{}"}})
			answers = append(answers, openai.ChatCompletionMessage{Role: "tool", ToolCallID: id, Content: r})
		}
		req.Messages = append(append(req.Messages, msg), answers...)
	}
	// The error is the fake's to report, to the recorder.
	client(url, key).CreateChatCompletion(t.Context(), req)
}

// TestTestServerFailsTheTest checks what NewTestServer reports, through a
// recorder standing in for the test.
func TestTestServerFailsTheTest(t *testing.T) {
	tests := []struct {
		name, script string
		opts         []fakeopenai.Option
		send         func(url string)
		want         string
	}{
		{
			name:   "results checked",
			script: "-- one --\nexpect tool_result call_paris sunny\nexpect tool_result call_2\ntext ok\n",
			send:   func(url string) { weatherRequest(t, url, "", "cloudy", "rain") },
			want:   `test.txtar:1 (one): expected the result of call call_paris to contain "sunny", got "cloudy"`,
		},
		{
			name:   "results missing",
			script: "-- one --\nexpect tool_result call_paris\ntext ok\n",
			send:   func(url string) { weatherRequest(t, url, "") },
			want:   `test.txtar:1 (one): expected a tool message answering call call_paris after the last assistant message, got answers to []`,
		},
		{
			name:   "refusal not expected",
			script: "-- one --\ntext ok\n",
			opts:   []fakeopenai.Option{fakeopenai.WithAPIKey("sk-right")},
			send:   func(url string) { weatherRequest(t, url, "sk-wrong-key") },
			want:   "fakeopenai: refused POST /v1/chat/completions: 401 Incorrect API key provided: sk-*****-key.\n\t(if the test means it, give the scenario a turn: expect refused 401)",
		},
		{
			name:   "refusal expected",
			script: "-- wrong key --\nexpect refused 401 Incorrect API key\n-- right key --\ntext ok\n",
			opts:   []fakeopenai.Option{fakeopenai.WithAPIKey("sk-right")},
			send: func(url string) {
				weatherRequest(t, url, "sk-wrong-key")
				weatherRequest(t, url, "sk-right")
			},
		},
		{
			name:   "another refusal expected",
			script: "-- one --\nexpect refused 400\n",
			opts:   []fakeopenai.Option{fakeopenai.WithAPIKey("sk-right")},
			send:   func(url string) { weatherRequest(t, url, "sk-wrong-key") },
			want:   `test.txtar:1 (one): expected a refusal with 400 "", got 401`,
		},
		{
			name:   "refusal missing",
			script: "-- one --\nexpect refused 401\n",
			send:   func(url string) { weatherRequest(t, url, "") },
			want:   "test.txtar:1 (one): expected the fake to refuse the request with 401, but the request was valid",
		},
		{
			name:   "unused turn",
			script: "-- one --\ntext ok\n-- two --\ntext bye\n",
			send:   func(url string) { weatherRequest(t, url, "") },
			want:   "fakeopenai: scripted turns never used:\n\ttest.txtar:3 (two)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := scenario(t, tc.script)
			rec := &stubtb.Recorder{TB: t}
			t.Run("inner", func(inner *testing.T) {
				rec.TB = inner
				ts := fakeopenai.NewTestServer(rec, sc, tc.opts...)
				tc.send(ts.URL)
			})
			if got := rec.Failures(); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("failures:\n%s\nwant one containing:\n%s", got, tc.want)
			}
		})
	}
}

// TestBadTurnInGo: a turn built in Go that OpenAI would never send fails
// the test, naming its step.
func TestBadTurnInGo(t *testing.T) {
	sc := &fakeopenai.Scenario{Name: "in Go", Steps: []*fakeopenai.Step{{Label: "bad", Turn: &fakeopenai.Turn{Finish: "done"}}}}
	rec := &stubtb.Recorder{TB: t}
	t.Run("inner", func(inner *testing.T) {
		rec.TB = inner
		ts := fakeopenai.NewTestServer(rec, sc)
		client(ts.URL, "").CreateChatCompletion(t.Context(), ask("hi"))
	})
	want := `fakeopenai: in Go: step 1 (bad): finish reason "done": want stop, length, tool_calls or content_filter`
	if got := rec.Failures(); got != want {
		t.Errorf("failures:\n%s\nwant:\n%s", got, want)
	}
}

// TestQuotedArguments: a quoted ARGS is sent as it is, for a client's
// handling of arguments that are not JSON.
func TestQuotedArguments(t *testing.T) {
	ts := fakeopenai.NewTestServer(t, scenario(t, "-- broken --\ncall get_weather \"{\\\"city\\\": \" id=x\n"))
	res, err := client(ts.URL, "").CreateChatCompletion(t.Context(), ask("weather?"))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Choices[0].Message.ToolCalls[0].Function.Arguments; got != `{"city": ` {
		t.Errorf("arguments %q, want the quoted text", got)
	}
}

// TestStreamUsage checks the usage fields of a stream as OpenAI sends
// them: absent unless asked, then null on every chunk but the last one,
// which holds no choice.
func TestStreamUsage(t *testing.T) {
	ts := fakeopenai.NewTestServer(t, scenario(t, `
-- plain --
text Hello
-- with usage --
text Hello
`))
	frames := func(body string) []map[string]json.RawMessage {
		t.Helper()
		resp, err := ts.HTTPClient().Post(ts.URL+"/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out []map[string]json.RawMessage
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok && data != "[DONE]" {
				var m map[string]json.RawMessage
				if err := json.Unmarshal([]byte(data), &m); err != nil {
					t.Fatalf("%s: %v", data, err)
				}
				out = append(out, m)
			}
		}
		return out
	}
	for _, f := range frames(`{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}`) {
		if _, ok := f["usage"]; ok {
			t.Errorf("a chunk carries usage unasked: %v", f)
		}
	}
	fs := frames(`{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`)
	for _, f := range fs[:len(fs)-1] {
		if string(f["usage"]) != "null" {
			t.Errorf("usage = %s before the last chunk, want null", f["usage"])
		}
	}
	last := fs[len(fs)-1]
	if string(last["choices"]) != "[]" || !strings.Contains(string(last["usage"]), `"total_tokens"`) {
		t.Errorf("last chunk %v: want no choice and the usage", last)
	}
}
