// Package cliscript is a small program of two commands, driven by
// testscripts the way its users run it: greeter, an MCP server with one
// tool, and ask, which asks an OpenAI-compatible model (OPENAI_BASE_URL)
// one question.
package cliscript

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	openai "github.com/sashabaranov/go-openai"
)

type greetIn struct {
	Name string `json:"name" jsonschema:"who to greet"`
}

// Greeter serves the greet tool over stdio until stdin closes.
func Greeter() int {
	s := mcp.NewServer(&mcp.Implementation{Name: "greeter", Version: "v1"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "greet", Description: "Greets someone."},
		func(_ context.Context, _ *mcp.CallToolRequest, in greetIn) (*mcp.CallToolResult, any, error) {
			if in.Name == "" {
				return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: "name is required"}}}, nil, nil
			}
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "Hello, " + in.Name + "!"}}}, nil, nil
		})
	if err := s.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, "greeter:", err)
		return 1
	}
	return 0
}

// Ask prints the model's answer to its arguments, joined.
func Ask() int {
	cfg := openai.DefaultConfig(os.Getenv("OPENAI_API_KEY"))
	cfg.BaseURL = os.Getenv("OPENAI_BASE_URL")
	res, err := openai.NewClientWithConfig(cfg).CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{
		Model:    "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: strings.Join(os.Args[1:], " ")}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ask:", err)
		return 1
	}
	fmt.Println(res.Choices[0].Message.Content)
	return 0
}
