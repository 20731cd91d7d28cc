package scriptcmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func chatCmd() command {
	return command{
		name:    "chat",
		args:    "[-events] [-status N] [-raw] [-model M] [-stream=B] [-timeout D] [-key K] URL BODY",
		summary: "post a chat completion to URL/v1/chat/completions and summarise the answer",
		detail: []string{
			"BODY is a JSON request, @FILE holding one, or plain text sent as one user message to -model (default gemini-2.5-flash), streamed unless -stream=false.",
			"The answer is printed a line per thing that happened, for stdout to match:",
			"role assistant           the first delta's role (streams)\n" +
				"tool_call NAME ARGS      a host tool call event (with -events)\n" +
				"tool_response NAME TEXT  its result (tool_error NAME TEXT on failure)\n" +
				"tool_calls NAME ARGS     a call handed to the client\n" +
				"content TEXT             all the text, newlines written as \\n\n" +
				"finish REASON            the finish_reason\n" +
				"usage prompt=N completion=N total=N\n" +
				"error TYPE: MESSAGE      an error frame or error body\n" +
				"done                     the [DONE] frame",
			"A streamed answer is checked against the rules OpenAI clients rely on: data frames only, one id, the role first, exactly one non-null finish_reason, [DONE] last and only after it, or an error frame and no [DONE]. A broken rule fails the command.",
			"-events sends X-Tool-Events: true; -status N is the expected HTTP status (default 200); -raw prints the body as received instead; -key K sends Authorization: Bearer K; -timeout bounds the request (default 1m).",
		},
		run: chat,
	}
}

func chat(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	events := fs.Bool("events", false, "send X-Tool-Events: true")
	status := fs.Int("status", http.StatusOK, "expected HTTP status")
	raw := fs.Bool("raw", false, "print the body as received")
	model := fs.String("model", "gemini-2.5-flash", "model for a plain-text BODY")
	stream := fs.Bool("stream", true, "stream a plain-text BODY")
	timeout := fs.Duration("timeout", time.Minute, "request timeout")
	key := fs.String("key", "", "API key")
	noNeg(ts, neg, "chat (use -status)")
	if parseFlags(ts, fs, args) != 2 {
		fatalUsage(ts, "chat")
	}
	body := requestBody(ts, fs.Arg(1), *model, *stream)

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimSuffix(fs.Arg(0), "/")+"/v1/chat/completions", strings.NewReader(body))
	ts.Check(err)
	req.Header.Set("Content-Type", "application/json")
	if *events {
		req.Header.Set("X-Tool-Events", "true")
	}
	if *key != "" {
		req.Header.Set("Authorization", "Bearer "+*key)
	}
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	ts.Check(err)
	if resp.StatusCode != *status {
		ts.Fatalf("status %d, want %d; body:\n%s", resp.StatusCode, *status, data)
	}
	out := ts.Stdout()
	if *raw {
		out.Write(data)
		return
	}
	var lines []string
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		lines, err = summariseStream(data)
	} else {
		lines, err = summariseJSON(data)
	}
	if err != nil {
		ts.Fatalf("%v\nbody:\n%s", err, data)
	}
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
}

func requestBody(ts *testscript.TestScript, arg, model string, stream bool) string {
	switch {
	case strings.HasPrefix(arg, "{"):
		return arg
	case strings.HasPrefix(arg, "@"):
		return ts.ReadFile(arg[1:])
	}
	b, err := json.Marshal(map[string]any{
		"model":          model,
		"stream":         stream,
		"stream_options": map[string]bool{"include_usage": stream},
		"messages":       []map[string]string{{"role": "user", "content": arg}},
	})
	ts.Check(err)
	return string(b)
}

// frame is the union of the frames the host streams.
type frame struct {
	ID        string          `json:"id"`
	Object    string          `json:"object"`
	EventType string          `json:"event_type"`
	Error     *errorBody      `json:"error"`
	Usage     json.RawMessage `json:"usage"`
	ToolCall  *struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"tool_call"`
	ToolResponse *struct {
		Name     string `json:"name"`
		Response string `json:"response"`
		Error    string `json:"error"`
	} `json:"tool_response"`
	Choices []struct {
		Delta struct {
			Role      string  `json:"role"`
			Content   *string `json:"content"`
			ToolCalls []struct {
				Function struct {
					Name      string `json:"name"`
					Arguments string `json:"arguments"`
				} `json:"function"`
			} `json:"tool_calls"`
		} `json:"delta"`
		Message *struct {
			Content   *string `json:"content"`
			ToolCalls []struct {
				Function struct {
					Name      string `json:"name"`
					Arguments string `json:"arguments"`
				} `json:"function"`
			} `json:"tool_calls"`
		} `json:"message"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
}

type errorBody struct {
	Message string `json:"message"`
	Type    string `json:"type"`
}

type usage struct {
	Prompt     int `json:"prompt_tokens"`
	Completion int `json:"completion_tokens"`
	Total      int `json:"total_tokens"`
}

func (u usage) String() string {
	return fmt.Sprintf("usage prompt=%d completion=%d total=%d", u.Prompt, u.Completion, u.Total)
}

func summariseStream(data []byte) ([]string, error) {
	var (
		lines    []string
		text     strings.Builder
		id       string
		finishes int
		done     bool
		failed   bool
		n        int
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, ":"):
			continue
		case !strings.HasPrefix(line, "data: "):
			return nil, fmt.Errorf("line %q is not a data frame or a comment", line)
		}
		payload := strings.TrimPrefix(line, "data: ")
		if done {
			return nil, fmt.Errorf("frame %q after [DONE]", payload)
		}
		if payload == "[DONE]" {
			if finishes != 1 {
				return nil, fmt.Errorf("[DONE] after %d non-null finish_reason, want 1", finishes)
			}
			done = true
			continue
		}
		var f frame
		if err := json.Unmarshal([]byte(payload), &f); err != nil {
			return nil, fmt.Errorf("frame %q: %v", payload, err)
		}
		if f.Error != nil {
			lines = append(lines, fmt.Sprintf("error %s: %s", f.Error.Type, f.Error.Message))
			failed = true
			continue
		}
		if id == "" {
			id = f.ID
		} else if f.ID != id {
			return nil, fmt.Errorf("frame id %q differs from the stream's %q", f.ID, id)
		}
		n++
		switch f.EventType {
		case "tool_call":
			lines = append(lines, fmt.Sprintf("tool_call %s %s", f.ToolCall.Name, f.ToolCall.Arguments))
			continue
		case "tool_response":
			if f.ToolResponse.Error != "" {
				lines = append(lines, fmt.Sprintf("tool_error %s %s", f.ToolResponse.Name, oneLine(f.ToolResponse.Error)))
			} else {
				lines = append(lines, fmt.Sprintf("tool_response %s %s", f.ToolResponse.Name, oneLine(f.ToolResponse.Response)))
			}
			continue
		}
		if f.Object != "chat.completion.chunk" {
			return nil, fmt.Errorf("frame object %q, want chat.completion.chunk", f.Object)
		}
		if len(f.Choices) == 0 {
			var u usage
			if err := json.Unmarshal(f.Usage, &u); err != nil || len(f.Usage) == 0 || string(f.Usage) == "null" {
				return nil, fmt.Errorf("a chunk with no choices must carry usage")
			}
			if finishes != 1 {
				return nil, fmt.Errorf("the usage chunk must follow the finish")
			}
			lines = append(lines, u.String())
			continue
		}
		c := f.Choices[0]
		if n == 1 {
			if c.Delta.Role != "assistant" {
				return nil, fmt.Errorf("the first chunk has role %q, want assistant", c.Delta.Role)
			}
			lines = append(lines, "role assistant")
		} else if c.Delta.Role != "" {
			return nil, fmt.Errorf("role %q repeated after the first chunk", c.Delta.Role)
		}
		if c.Delta.Content != nil {
			text.WriteString(*c.Delta.Content)
		}
		for _, tc := range c.Delta.ToolCalls {
			lines = append(lines, fmt.Sprintf("tool_calls %s %s", tc.Function.Name, tc.Function.Arguments))
		}
		if c.FinishReason != nil {
			finishes++
			if text.Len() > 0 {
				lines = append(lines, "content "+oneLine(text.String()))
				text.Reset()
			}
			lines = append(lines, "finish "+*c.FinishReason)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	switch {
	case failed && done:
		return nil, fmt.Errorf("an error frame and [DONE] in one stream")
	case failed:
		if text.Len() > 0 {
			lines = append(lines, "content "+oneLine(text.String()))
		}
	case !done:
		return nil, fmt.Errorf("the stream ended without [DONE]")
	default:
		lines = append(lines, "done")
	}
	return lines, nil
}

func summariseJSON(data []byte) ([]string, error) {
	var f frame
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("decoding the answer: %v", err)
	}
	if f.Error != nil {
		return []string{fmt.Sprintf("error %s: %s", f.Error.Type, f.Error.Message)}, nil
	}
	var lines []string
	for _, c := range f.Choices {
		if c.Message == nil {
			return nil, fmt.Errorf("a choice without message")
		}
		for _, tc := range c.Message.ToolCalls {
			lines = append(lines, fmt.Sprintf("tool_calls %s %s", tc.Function.Name, tc.Function.Arguments))
		}
		if c.Message.Content != nil && *c.Message.Content != "" {
			lines = append(lines, "content "+oneLine(*c.Message.Content))
		}
		if c.FinishReason != nil {
			lines = append(lines, "finish "+*c.FinishReason)
		}
	}
	if len(f.Usage) > 0 && string(f.Usage) != "null" {
		var u usage
		if err := json.Unmarshal(f.Usage, &u); err != nil {
			return nil, err
		}
		lines = append(lines, u.String())
	}
	return lines, nil
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }
