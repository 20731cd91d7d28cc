// Package openaiapp is a small agent on any OpenAI-compatible API: it lets
// the model call the app's tools, streamed, until the model answers.
package openaiapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	openai "github.com/sashabaranov/go-openai"
)

// A Tool is a function the model may call.
type Tool struct {
	Name, Description string
	Parameters        json.RawMessage
	Run               func(args json.RawMessage) string
}

// Ask runs the conversation from prompt until the model answers without a
// tool call, streaming each turn.
func Ask(ctx context.Context, client *openai.Client, model, prompt string, tools []Tool) (string, error) {
	req := openai.ChatCompletionRequest{Model: model, Stream: true,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: prompt}}}
	byName := map[string]Tool{}
	for _, t := range tools {
		byName[t.Name] = t
		req.Tools = append(req.Tools, openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
			Name: t.Name, Description: t.Description, Parameters: t.Parameters}})
	}
	for range 8 {
		msg, err := turn(ctx, client, req)
		if err != nil {
			return "", err
		}
		if len(msg.ToolCalls) == 0 {
			return msg.Content, nil
		}
		req.Messages = append(req.Messages, msg)
		for _, c := range msg.ToolCalls {
			out := "no such tool"
			if t, ok := byName[c.Function.Name]; ok {
				out = t.Run(json.RawMessage(c.Function.Arguments))
			}
			req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleTool, ToolCallID: c.ID, Content: out})
		}
	}
	return "", errors.New("the model kept calling tools")
}

// turn streams one answer and puts its deltas back together.
func turn(ctx context.Context, client *openai.Client, req openai.ChatCompletionRequest) (openai.ChatCompletionMessage, error) {
	msg := openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant}
	stream, err := client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return msg, fmt.Errorf("asking the model: %w", err)
	}
	defer stream.Close()
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return msg, nil
		}
		if err != nil {
			return msg, fmt.Errorf("reading the answer: %w", err)
		}
		for _, ch := range chunk.Choices {
			msg.Content += ch.Delta.Content
			for _, d := range ch.Delta.ToolCalls {
				i := *d.Index
				for len(msg.ToolCalls) <= i {
					msg.ToolCalls = append(msg.ToolCalls, openai.ToolCall{Type: openai.ToolTypeFunction})
				}
				c := &msg.ToolCalls[i]
				if d.ID != "" {
					c.ID = d.ID
				}
				c.Function.Name += d.Function.Name
				c.Function.Arguments += d.Function.Arguments
			}
		}
	}
}
