// Package plantuml provides the PlantUML tools: plantuml turns diagram
// code into the URL of the diagram on a PlantUML server, encoded as
// PlantUML encodes it ([Encode]), after checking its syntax with a local
// PlantUML when one is installed; decode_plantuml_url turns such a URL back
// into code ([Decode]); plantuml_check validates a diagram file.
//
// The local PlantUML ([Processor]) is Debian's plantuml package, or the
// jar named by PLANTUML_JAR.
package plantuml

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

var (
	//go:embed plantuml.md
	plantumlDescription string
	//go:embed decode.md
	decodeDescription string
	//go:embed check.md
	checkDescription string
)

// DefaultServer is the public PlantUML server.
const DefaultServer = "https://www.plantuml.com/plantuml"

// Input is the plantuml tool's arguments.
type Input struct {
	Code   string `json:"plantuml_code" jsonschema:"the PlantUML diagram code, usually between @startuml and @enduml"`
	Format string `json:"output_format,omitempty" jsonschema:"svg (default) or png"`
}

// Output is the plantuml tool's structured result.
type Output struct {
	URL           string `json:"url" jsonschema:"the URL of the rendered diagram"`
	Format        string `json:"output_format" jsonschema:"svg or png"`
	SyntaxChecked bool   `json:"syntax_checked" jsonschema:"whether a local PlantUML checked the syntax first"`
	DiagramType   string `json:"diagram_type,omitempty" jsonschema:"the kind of diagram PlantUML recognised, when checked"`
}

// DecodeInput is the decode_plantuml_url tool's arguments.
type DecodeInput struct {
	URL string `json:"url" jsonschema:"a PlantUML diagram URL, or only its encoded last path segment"`
}

// DecodeOutput is the decode_plantuml_url tool's structured result.
type DecodeOutput struct {
	Code string `json:"plantuml_code" jsonschema:"the PlantUML code the URL shows"`
}

// Options configures the plantuml and decode_plantuml_url tools. A nil
// *Options means the defaults.
type Options struct {
	// Server is the PlantUML server the URLs point to; default
	// [DefaultServer].
	Server string
	// Processor checks the syntax before a URL is made; nil skips the
	// check.
	Processor *Processor
}

// Register adds the plantuml and decode_plantuml_url tools to s.
func Register(s *mcp.Server, opts *Options) {
	t := &tool{server: DefaultServer}
	if opts != nil {
		if opts.Server != "" {
			t.server = opts.Server
		}
		t.processor = opts.Processor
	}
	t.server = strings.TrimRight(t.server, "/")
	mcp.AddTool(s, &mcp.Tool{
		Name:        "plantuml",
		Description: plantumlDescription,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}, t.diagram)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "decode_plantuml_url",
		Description: decodeDescription,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}, decode)
}

type tool struct {
	server    string
	processor *Processor
}

func (t *tool) diagram(ctx context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, *Output, error) {
	if strings.TrimSpace(in.Code) == "" {
		return nil, nil, errors.New("plantuml_code is empty; give the diagram, between @startuml and @enduml")
	}
	format := strings.ToLower(in.Format)
	switch format {
	case "":
		format = "svg"
	case "svg", "png":
	default:
		return nil, nil, fmt.Errorf("output_format %q is not supported; use svg or png", in.Format)
	}
	out := &Output{Format: format}
	if t.processor != nil {
		v, err := t.processor.Check(ctx, in.Code, "")
		if err != nil {
			return nil, nil, fmt.Errorf("checking the syntax: %w", err)
		}
		if !v.Valid {
			return nil, nil, errors.New(syntaxError(in.Code, v) + "\nFix the diagram and call plantuml again.")
		}
		out.SyntaxChecked, out.DiagramType = true, v.Type
	}
	out.URL = t.server + "/" + format + "/" + Encode(in.Code)
	text := out.URL
	if !out.SyntaxChecked {
		text += "\n(syntax not checked: PlantUML is not installed where this server runs)"
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, out, nil
}

func decode(_ context.Context, _ *mcp.CallToolRequest, in DecodeInput) (*mcp.CallToolResult, *DecodeOutput, error) {
	code, err := Decode(in.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("%w; give a URL made by plantuml, such as %s/svg/SyfFKj2rKt3CoKnELR1Io4ZDoSa70000", err, DefaultServer)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: code}}}, &DecodeOutput{Code: code}, nil
}

// syntaxError describes v, quoting the line of source it points at.
func syntaxError(source string, v Verdict) string {
	if v.Line == 0 {
		return "PlantUML syntax error: " + v.Message
	}
	msg := fmt.Sprintf("PlantUML syntax error at line %d: %s", v.Line, v.Message)
	if lines := strings.Split(source, "\n"); v.Line <= len(lines) {
		msg += fmt.Sprintf("\n%d | %s", v.Line, lines[v.Line-1])
	}
	return msg
}
