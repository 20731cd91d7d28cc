package everything

import (
	_ "embed"
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

//go:embed schemas/json_schema_2020_12.json
var schema202012 json.RawMessage

// addTools registers the tools the suite calls, by the names it calls them.
func addTools(s *mcp.Server) {
	tool := func(name, desc string) *mcp.Tool { return &mcp.Tool{Name: name, Description: desc} }
	mcp.AddTool(s, tool("test_simple_text", "Returns one text item"), simpleText)
	mcp.AddTool(s, tool("test_image_content", "Returns one PNG image"), imageContent)
	mcp.AddTool(s, tool("test_audio_content", "Returns one WAV clip"), audioContent)
	mcp.AddTool(s, tool("test_embedded_resource", "Returns an embedded text resource"), embeddedResource)
	mcp.AddTool(s, tool("test_multiple_content_types", "Returns text, an image and an embedded resource"), mixedContent)
	mcp.AddTool(s, tool("test_tool_with_logging", "Logs three messages while it runs"), withLogging)
	mcp.AddTool(s, tool("test_tool_with_progress", "Reports progress 0, 50, 100 of 100"), withProgress)
	mcp.AddTool(s, tool("test_error_handling", "Always fails with isError"), failing)
	mcp.AddTool(s, tool("test_sampling", "Asks the client's model to complete a prompt"), sampling)
	mcp.AddTool(s, tool("test_elicitation", "Asks the user for a username"), elicitUsername)
	mcp.AddTool(s, tool("test_elicitation_sep1034_defaults", "Elicits fields with default values (SEP-1034)"), elicitDefaults)
	mcp.AddTool(s, tool("test_elicitation_sep1330_enums", "Elicits enum fields in every form (SEP-1330)"), elicitEnums)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "json_schema_2020_12_tool",
		Description: "Has an input schema with JSON Schema 2020-12 keywords, which tools/list must keep verbatim (SEP-1613)",
		InputSchema: schema202012,
	}, echoArguments)
}

// text is a result of one text item.
func text(s string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}
}
