package dispatchagent

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

//go:embed description.md
var description string

// Input is the arguments of dispatch_agent.
type Input struct {
	Prompt string `json:"prompt" jsonschema:"the question or task for the research agent, with everything it needs to know"`
	Path   string `json:"path,omitempty" jsonschema:"absolute path of the folder to work in; GlobTool and GrepTool search it by default"`
}

// Register adds the dispatch_agent tool, served by d, to s.
func Register(s *mcp.Server, d *Dispatcher) {
	mcp.AddTool(s, &mcp.Tool{
		Name:        "dispatch_agent",
		Description: description,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(true)},
	}, d.tool)
}

func (d *Dispatcher) tool(ctx context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, Report, error) {
	if strings.TrimSpace(in.Prompt) == "" {
		return nil, Report{}, errors.New("prompt is empty: give the research agent a question")
	}
	r, err := d.Dispatch(ctx, in.Prompt, in.Path)
	if err != nil {
		return nil, Report{}, err
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: r.text()}}}, *r, nil
}

// text is the report as the calling model reads it: the answer, then the
// calls that back it.
func (r *Report) text() string {
	var b strings.Builder
	b.WriteString(r.Answer)
	if len(r.ToolCalls) > 0 {
		fmt.Fprintf(&b, "\n\n[%d tool calls]\n", len(r.ToolCalls))
		for _, c := range r.ToolCalls {
			status := ""
			if c.IsError {
				status = " (error)"
			}
			fmt.Fprintf(&b, "- %s %s%s\n", c.Name, compact(c.Arguments), status)
		}
	}
	return b.String()
}

// compact writes v as one line of JSON.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}
