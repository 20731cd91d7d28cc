package everything

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The media the suite expects, copied from its TypeScript reference server:
// a 1x1 red PNG and a silent WAV clip.
var (
	pngImage = mustBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
	wavAudio = mustBase64("UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=")
)

func mustBase64(s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		panic(err) // a typo in the constants above
	}
	return b
}

func simpleText(context.Context, *mcp.CallToolRequest, any) (*mcp.CallToolResult, any, error) {
	return text("This is a simple text response for testing."), nil, nil
}

func imageContent(context.Context, *mcp.CallToolRequest, any) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{
		&mcp.ImageContent{Data: pngImage, MIMEType: "image/png"},
	}}, nil, nil
}

func audioContent(context.Context, *mcp.CallToolRequest, any) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{
		&mcp.AudioContent{Data: wavAudio, MIMEType: "audio/wav"},
	}}, nil, nil
}

func embeddedResource(context.Context, *mcp.CallToolRequest, any) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{
		&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{
			URI: "test://embedded-resource", MIMEType: "text/plain", Text: "This is an embedded resource",
		}},
	}}, nil, nil
}

func mixedContent(context.Context, *mcp.CallToolRequest, any) (*mcp.CallToolResult, any, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{
		&mcp.TextContent{Text: "This is text content"},
		&mcp.ImageContent{Data: pngImage, MIMEType: "image/png"},
		&mcp.EmbeddedResource{Resource: &mcp.ResourceContents{
			URI: "test://mixed-content-resource", MIMEType: "text/plain", Text: "This is an embedded resource",
		}},
	}}, nil, nil
}

// failing returns a Go error, which the SDK turns into a result with
// isError set: a tool failure, not a protocol error.
func failing(context.Context, *mcp.CallToolRequest, any) (*mcp.CallToolResult, any, error) {
	return nil, nil, errors.New("this tool intentionally returns an error for testing")
}

// echoArguments answers with the arguments it was called with.
func echoArguments(_ context.Context, _ *mcp.CallToolRequest, args json.RawMessage) (*mcp.CallToolResult, any, error) {
	return text("called with: " + string(args)), nil, nil
}
