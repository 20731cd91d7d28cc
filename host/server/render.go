package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/openai"
)

// response is what every rendering of one answer shares.
type response struct {
	id         string
	created    int64
	model      string // as the client named it, tool selection included
	toolEvents bool   // render host tool calls as tool.call/tool.response frames
	reasoning  bool   // render reasoning as reasoning_content

	// What the run did, for the log and the metrics.
	start     time.Time
	first     time.Time // of the first text, reasoning or tool call
	toolCalls int
	steps     int
	usage     *llm.Usage
}

// count notes what ev says about the run.
func (r *response) count(ev agent.Event, m *metrics) {
	switch ev.Kind {
	case agent.EventText, agent.EventReasoning, agent.EventClientToolCalls:
		if r.first.IsZero() {
			r.first = time.Now()
		}
	case agent.EventToolCall:
		if r.first.IsZero() {
			r.first = time.Now()
		}
		r.toolCalls++
	case agent.EventToolResult:
		m.observeTool(ev.ToolResult.Name, ev.Duration, ev.ToolResult.IsError, ev.Refused)
	case agent.EventUsage:
		r.usage = ev.Usage
	case agent.EventFinish:
		r.steps = ev.Steps
	}
}

// done records what one request did in the metrics and, at debug level,
// the log.
func (s *Server) done(ctx context.Context, r *response, input agent.Input, stream bool, err error) {
	s.metrics.observeRun(r, input.Request.Model, stream)
	if !s.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	offered := make([]string, len(input.Request.Tools))
	for i, t := range input.Request.Tools {
		offered[i] = t.Name
	}
	attrs := []slog.Attr{
		slog.String("id", r.id), slog.String("model", input.Request.Model), slog.Any("tools", offered),
		slog.Int("turns", r.steps), slog.Int("tool_calls", r.toolCalls), slog.Duration("took", time.Since(r.start)),
	}
	if r.usage != nil {
		attrs = append(attrs, slog.Int("prompt_tokens", r.usage.PromptTokens), slog.Int("completion_tokens", r.usage.CompletionTokens))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	s.logger.LogAttrs(ctx, slog.LevelDebug, "chat done", attrs...)
}

func toOpenAIUsage(u *llm.Usage) *openai.Usage {
	out := &openai.Usage{
		PromptTokens:     u.PromptTokens,
		CompletionTokens: u.CompletionTokens,
		TotalTokens:      u.TotalTokens(),
	}
	if u.CachedTokens > 0 {
		out.PromptTokensDetails = &openai.PromptTokensDetails{CachedTokens: u.CachedTokens}
	}
	if u.ReasoningTokens > 0 {
		out.CompletionTokensDetails = &openai.CompletionTokensDetails{ReasoningTokens: u.ReasoningTokens}
	}
	return out
}

// toOpenAICall renders a call for the client, its thought signature in
// extra_content so that the client can send it back.
func toOpenAICall(c llm.ToolCall, index *int) openai.ToolCall {
	tc := openai.ToolCall{
		Index:    index,
		ID:       c.ID,
		Type:     "function",
		Function: openai.FunctionCall{Name: c.Name, Arguments: string(c.Arguments)},
	}
	tc.ExtraContent = signature(&c)
	return tc
}

// signature carries a call's thought signature the way Google's own
// OpenAI-compatible layer does; nil when the call has none.
func signature(c *llm.ToolCall) *openai.ExtraContent {
	if len(c.Signature) == 0 {
		return nil
	}
	return &openai.ExtraContent{Google: &openai.GoogleExtra{ThoughtSignature: base64.StdEncoding.EncodeToString(c.Signature)}}
}

func (r *response) toolCallEvent(c *llm.ToolCall) openai.ToolCallEvent {
	args := c.Arguments
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	return openai.ToolCallEvent{
		ID: r.id, Object: "tool.call", Created: r.created, EventType: "tool_call",
		ToolCall: openai.ToolCallEventArg{ID: c.ID, Name: c.Name, Arguments: args, ExtraContent: signature(c)},
	}
}

func (r *response) toolResponseEvent(res *llm.ToolResult, ms int64) openai.ToolResponseEvent {
	ev := openai.ToolResponseEvent{
		ID: r.id, Object: "tool.response", Created: r.created, EventType: "tool_response",
		ToolResponse: openai.ToolResponseArg{ID: res.CallID, Name: res.Name, Response: res.Content, DurationMS: ms},
	}
	for _, m := range res.Media {
		if strings.HasPrefix(m.MIMEType, "image/") {
			ev.ToolResponse.Images = append(ev.ToolResponse.Images, "data:"+m.MIMEType+";base64,"+base64.StdEncoding.EncodeToString(m.Data))
		}
	}
	if res.IsError {
		ev.ToolResponse.Error = res.Content
		if ev.ToolResponse.Error == "" {
			ev.ToolResponse.Error = "the tool reported an error"
		}
	}
	return ev
}
