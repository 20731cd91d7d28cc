package fakeopenai

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A Turn is one scripted answer: text, tool calls, or an HTTP error.
// Streamed, each chunk of text is one delta, then each call comes as
// tool_calls deltas: its index, id, type and name once, then its arguments
// in fragments. Not streamed, the text is the message's content (null when
// the turn only calls) and the calls its tool_calls.
type Turn struct {
	// Chunks are the pieces of the content, one streamed delta each.
	Chunks []string
	// ToolCalls are the functions the model calls, in order; several are
	// parallel calls, all in the one assistant message.
	ToolCalls []ToolCall
	// Finish is the finish_reason: stop, length, tool_calls or
	// content_filter (default tool_calls when the turn calls, else stop).
	Finish string
	// Usage, when nil, is made of word counts.
	Usage *Usage
	// Model, when set, is the model the answer names.
	Model string
	// Delay is the latency before the answer.
	Delay time.Duration
	// Err, when set, is the whole answer.
	Err *Error
}

// A ToolCall is a function call the model makes.
type ToolCall struct {
	// ID is what the client's tool message answers with tool_call_id;
	// empty, the server makes one up, unique to the answer.
	ID string
	// Name is the function's name.
	Name string
	// Arguments are sent as they are, normally a JSON object ("{}" when
	// empty); a test of a client's recovery may put anything there.
	Arguments string
}

// A Responder decides the answer to each request. Implementations must be
// safe for concurrent use.
type Responder interface {
	Respond(ctx context.Context, req *ChatRequest) (*Turn, error)
}

// ResponderFunc adapts a function to a Responder.
type ResponderFunc func(ctx context.Context, req *ChatRequest) (*Turn, error)

// Respond calls f.
func (f ResponderFunc) Respond(ctx context.Context, req *ChatRequest) (*Turn, error) {
	return f(ctx, req)
}

// Echo returns a Responder that answers "You said: " and the last user
// message, after delay. It is the fake's model when no scenario is given.
func Echo(delay time.Duration) Responder {
	return ResponderFunc(func(_ context.Context, req *ChatRequest) (*Turn, error) {
		return &Turn{Chunks: []string{"You said: ", req.LastUserText()}, Delay: delay}, nil
	})
}

// isFinishReason reports whether s is a finish_reason OpenAI sends.
func isFinishReason(s string) bool {
	switch s {
	case "stop", "length", "tool_calls", "content_filter":
		return true
	}
	return false
}

// validate says what makes t an answer OpenAI would not give.
func (t *Turn) validate() error {
	var errs []error
	if t.Finish != "" && !isFinishReason(t.Finish) {
		errs = append(errs, fmt.Errorf("finish reason %q: want stop, length, tool_calls or content_filter", t.Finish))
	}
	if t.Finish == "tool_calls" && len(t.ToolCalls) == 0 {
		errs = append(errs, errors.New("finish tool_calls needs at least one call"))
	}
	if t.Err != nil && (len(t.Chunks) > 0 || len(t.ToolCalls) > 0) {
		errs = append(errs, errors.New("error answers alone; drop the text and call lines"))
	}
	seen := map[string]bool{}
	for i, c := range t.ToolCalls {
		if !isFunctionName(c.Name) {
			errs = append(errs, fmt.Errorf("call %d: name %q: want letters, digits, _ and -, up to 64", i+1, c.Name))
		}
		if c.ID != "" && seen[c.ID] {
			errs = append(errs, fmt.Errorf("call %d: id %s is already used in this turn", i+1, c.ID))
		}
		seen[c.ID] = true
	}
	return errors.Join(errs...)
}

// empty reports whether t answers nothing at all.
func (t *Turn) empty() bool {
	return len(t.Chunks) == 0 && len(t.ToolCalls) == 0 && t.Finish == "" && t.Usage == nil &&
		t.Model == "" && t.Delay == 0 && t.Err == nil
}

func (t *Turn) content() string { return strings.Join(t.Chunks, "") }

func (t *Turn) finish() string {
	switch {
	case t.Finish != "":
		return t.Finish
	case len(t.ToolCalls) > 0:
		return "tool_calls"
	}
	return "stop"
}

func (t *Turn) usage(req *ChatRequest) Usage {
	if t.Usage != nil {
		u := *t.Usage
		u.TotalTokens = u.PromptTokens + u.CompletionTokens
		return u
	}
	prompt := 0
	for _, m := range req.Messages {
		prompt += len(strings.Fields(m.Text()))
	}
	completion := len(strings.Fields(t.content()))
	for _, c := range t.ToolCalls {
		completion += 1 + len(strings.Fields(c.Arguments))
	}
	return Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}
