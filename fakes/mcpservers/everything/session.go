package everything

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The schemas of the elicitation tools, as the suite expects them.
var (
	//go:embed schemas/elicit_username.json
	usernameSchema json.RawMessage
	//go:embed schemas/elicit_defaults.json
	defaultsSchema json.RawMessage
	//go:embed schemas/elicit_enums.json
	enumsSchema json.RawMessage
)

// step is the pause between the notifications of one call, as the suite's
// scenarios describe them (~50ms), so that a client sees them spread out.
const step = 50 * time.Millisecond

// pause waits for step or until ctx is done.
func pause(ctx context.Context) error {
	t := time.NewTimer(step)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func withLogging(ctx context.Context, req *mcp.CallToolRequest, _ any) (*mcp.CallToolResult, any, error) {
	msgs := []string{"Tool execution started", "Tool processing data", "Tool execution completed"}
	for i, m := range msgs {
		if i > 0 {
			if err := pause(ctx); err != nil {
				return nil, nil, err
			}
		}
		if err := req.Session.Log(ctx, &mcp.LoggingMessageParams{Level: "info", Data: m}); err != nil {
			return nil, nil, fmt.Errorf("logging: %w", err)
		}
	}
	return text("Tool with logging executed successfully"), nil, nil
}

// withProgress reports 0, 50 and 100 of 100 when the caller asked for
// progress, and answers with the caller's progress token.
func withProgress(ctx context.Context, req *mcp.CallToolRequest, _ any) (*mcp.CallToolResult, any, error) {
	token := req.Params.GetProgressToken()
	for i, p := range []float64{0, 50, 100} {
		if i > 0 {
			if err := pause(ctx); err != nil {
				return nil, nil, err
			}
		}
		if token == nil {
			continue
		}
		err := req.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{
			ProgressToken: token, Progress: p, Total: 100,
			Message: fmt.Sprintf("Completed step %.0f of 100", p),
		})
		if err != nil {
			return nil, nil, fmt.Errorf("notifying progress: %w", err)
		}
	}
	return text(fmt.Sprint(token)), nil, nil
}

type samplingArgs struct {
	Prompt string `json:"prompt" jsonschema:"the prompt to send to the client's model"`
}

// sampling asks the client's model, if the client declared sampling: a
// server may use only the capabilities the client declared, and the SDK
// does not check this one.
func sampling(ctx context.Context, req *mcp.CallToolRequest, args samplingArgs) (*mcp.CallToolResult, any, error) {
	if p := req.Session.InitializeParams(); p == nil || p.Capabilities == nil || p.Capabilities.Sampling == nil {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "the client does not offer sampling"}}, IsError: true}, nil, nil
	}
	res, err := req.Session.CreateMessage(ctx, &mcp.CreateMessageParams{
		Messages:  []*mcp.SamplingMessage{{Role: "user", Content: &mcp.TextContent{Text: args.Prompt}}},
		MaxTokens: 100,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("sampling: %w", err)
	}
	answer := "(non-text response)"
	if t, ok := res.Content.(*mcp.TextContent); ok {
		answer = t.Text
	}
	return text("LLM response: " + answer), nil, nil
}

type elicitArgs struct {
	Message string `json:"message" jsonschema:"the message to show the user"`
}

func elicitUsername(ctx context.Context, req *mcp.CallToolRequest, args elicitArgs) (*mcp.CallToolResult, any, error) {
	return elicit(ctx, req, args.Message, usernameSchema)
}

func elicitDefaults(ctx context.Context, req *mcp.CallToolRequest, _ any) (*mcp.CallToolResult, any, error) {
	return elicit(ctx, req, "Test defaults for primitives", defaultsSchema)
}

func elicitEnums(ctx context.Context, req *mcp.CallToolRequest, _ any) (*mcp.CallToolResult, any, error) {
	// Multiple-choice (array) fields came with 2025-11-25: a client of an
	// earlier revision would not know them.
	if p := req.Session.InitializeParams(); p != nil && p.ProtocolVersion < "2025-11-25" {
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{
			Text: "enum schemas with multiple choices need protocol revision 2025-11-25; this session is " + p.ProtocolVersion}}}, nil, nil
	}
	return elicit(ctx, req, "Test enum schemas", enumsSchema)
}

// elicit asks the user through the client and reports what came back.
func elicit(ctx context.Context, req *mcp.CallToolRequest, msg string, schema json.RawMessage) (*mcp.CallToolResult, any, error) {
	res, err := req.Session.Elicit(ctx, &mcp.ElicitParams{Message: msg, RequestedSchema: schema})
	if err != nil {
		return nil, nil, fmt.Errorf("eliciting: %w", err)
	}
	return text(fmt.Sprintf("Elicitation result: action=%s, content=%v", res.Action, res.Content)), nil, nil
}
