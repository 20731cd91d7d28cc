package fakeopenai

import (
	"context"
	"strings"
	"time"
)

// A Turn is one scripted answer.
type Turn struct {
	// Chunks are the pieces of the content, one streamed delta each.
	Chunks []string
	// Finish is the finish_reason (default "stop").
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

func (t *Turn) content() string { return strings.Join(t.Chunks, "") }

func (t *Turn) finish() string {
	if t.Finish == "" {
		return "stop"
	}
	return t.Finish
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
	return Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}
