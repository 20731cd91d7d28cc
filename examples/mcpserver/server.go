// Package mcpserver is a small MCP server on the go-sdk, served over
// streamable HTTP, checked for conformance in its own tests.
package mcpserver

import (
	"context"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type addIn struct {
	A float64 `json:"a" jsonschema:"the first number"`
	B float64 `json:"b" jsonschema:"the second number"`
}

type addOut struct {
	Sum float64 `json:"sum" jsonschema:"a + b"`
}

// New returns the server: one tool, add.
func New() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "adder", Version: "v1.0.0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "add", Description: "Adds two numbers."},
		func(_ context.Context, _ *mcp.CallToolRequest, in addIn) (*mcp.CallToolResult, addOut, error) {
			return nil, addOut{Sum: in.A + in.B}, nil
		})
	return s
}

// Handler serves the server over streamable HTTP, refusing other sites'
// pages as the specification asks (DNS rebinding).
func Handler() http.Handler {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return New() }, nil)
	return http.NewCrossOriginProtection().Handler(h)
}
