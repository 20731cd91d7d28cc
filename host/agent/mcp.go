package agent

import (
	"encoding/json"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/llm"
)

// fromMCP fills r from an MCP tool result: text items become the content,
// images and audio become media, and structured content stands in for text
// when the tool gave none.
func fromMCP(r *llm.ToolResult, res *mcp.CallToolResult) {
	r.IsError = res.IsError
	var text strings.Builder
	add := func(s string) {
		if text.Len() > 0 {
			text.WriteByte('\n')
		}
		text.WriteString(s)
	}
	for _, c := range res.Content {
		switch c := c.(type) {
		case *mcp.TextContent:
			add(c.Text)
		case *mcp.ImageContent:
			r.Media = append(r.Media, llm.Media{MIMEType: c.MIMEType, Data: c.Data})
		case *mcp.AudioContent:
			r.Media = append(r.Media, llm.Media{MIMEType: c.MIMEType, Data: c.Data})
		case *mcp.EmbeddedResource:
			if c.Resource != nil {
				if c.Resource.Text != "" {
					add(c.Resource.Text)
				} else if len(c.Resource.Blob) > 0 {
					r.Media = append(r.Media, llm.Media{MIMEType: c.Resource.MIMEType, Data: c.Resource.Blob, Name: c.Resource.URI})
				}
			}
		case *mcp.ResourceLink:
			add(c.URI)
		}
	}
	if text.Len() == 0 && res.StructuredContent != nil {
		if b, err := json.Marshal(res.StructuredContent); err == nil {
			add(string(b))
		}
	}
	r.Content = text.String()
}
