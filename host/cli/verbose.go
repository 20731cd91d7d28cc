package cli

import (
	"context"
	"encoding/json"
	"iter"
	"log/slog"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/llm"
)

// loggingProvider logs each model request (as the OpenAI chat request it
// is, or would be, on the wire) and each model turn's answer (-verbose).
type loggingProvider struct {
	next   llm.Provider
	logger *slog.Logger
}

func (p *loggingProvider) Models() []llm.Model { return p.next.Models() }

func (p *loggingProvider) Stream(ctx context.Context, req *llm.Request) iter.Seq2[*llm.Delta, error] {
	return func(yield func(*llm.Delta, error) bool) {
		if b, err := json.Marshal(chatRequest(req)); err == nil {
			p.logger.DebugContext(ctx, "model request", "body", string(b))
		}
		start := time.Now()
		var text strings.Builder
		var calls []string
		for d, err := range p.next.Stream(ctx, req) {
			if err != nil {
				p.logger.DebugContext(ctx, "model error", "error", err, "took", time.Since(start))
				yield(nil, err)
				return
			}
			text.WriteString(d.Text)
			for _, c := range d.ToolCalls {
				calls = append(calls, c.Name+" "+string(c.Arguments))
			}
			if d.Finish != "" {
				attrs := []any{"finish", d.Finish, "text", text.String(), "tool_calls", calls, "took", time.Since(start)}
				if u := d.Usage; u != nil {
					attrs = append(attrs, "prompt_tokens", u.PromptTokens, "completion_tokens", u.CompletionTokens)
				}
				p.logger.DebugContext(ctx, "model answer", attrs...)
			}
			if !yield(d, nil) {
				return
			}
		}
	}
}

// loggingTools logs each tool call and its result (-verbose).
type loggingTools struct {
	next   agent.Toolbox
	logger *slog.Logger
}

func (t *loggingTools) Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	t.logger.DebugContext(ctx, "tool call", "tool", name, "arguments", string(args))
	start := time.Now()
	res, err := t.next.Call(ctx, name, args)
	if err != nil {
		t.logger.DebugContext(ctx, "tool call failed", "tool", name, "error", err, "took", time.Since(start))
		return nil, err
	}
	b, _ := json.Marshal(res)
	t.logger.DebugContext(ctx, "tool result", "tool", name, "is_error", res.IsError, "result", string(b), "took", time.Since(start))
	return res, nil
}
