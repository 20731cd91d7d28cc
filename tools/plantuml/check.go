package plantuml

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// maxFile is the largest diagram file plantuml_check reads.
const maxFile = 4 << 20

// extensions are the file names plantuml_check accepts.
var extensions = []string{".puml", ".plantuml", ".pu"}

// CheckInput is the plantuml_check tool's arguments.
type CheckInput struct {
	FilePath string `json:"file_path" jsonschema:"absolute path of the .puml, .plantuml or .pu file to check"`
}

// CheckOutput is the plantuml_check tool's structured result.
type CheckOutput struct {
	Valid       bool   `json:"valid" jsonschema:"whether PlantUML accepts the diagram"`
	DiagramType string `json:"diagram_type,omitempty" jsonschema:"the kind of diagram, when valid"`
	Line        int    `json:"line,omitempty" jsonschema:"the 1-based line of the first error"`
	Message     string `json:"message,omitempty" jsonschema:"PlantUML's error message"`
}

// CheckOptions configures the plantuml_check tool. A nil *CheckOptions
// means no confinement and no processor, so that every call answers how to
// install one.
type CheckOptions struct {
	Policy    *toolkit.Policy
	Processor *Processor
}

// RegisterCheck adds the plantuml_check tool to s.
func RegisterCheck(s *mcp.Server, opts *CheckOptions) {
	c := &checker{}
	if opts != nil {
		c.opts = *opts
	}
	mcp.AddTool(s, &mcp.Tool{
		Name:        "plantuml_check",
		Description: checkDescription,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}, c.check)
}

type checker struct {
	opts CheckOptions
}

func (c *checker) check(ctx context.Context, _ *mcp.CallToolRequest, in CheckInput) (*mcp.CallToolResult, *CheckOutput, error) {
	if in.FilePath == "" {
		return nil, nil, errors.New("file_path is empty; give the absolute path of a .puml file")
	}
	if ext := strings.ToLower(filepath.Ext(in.FilePath)); !slices.Contains(extensions, ext) {
		return nil, nil, fmt.Errorf("%s is not a PlantUML file; plantuml_check reads %s files", in.FilePath, strings.Join(extensions, ", "))
	}
	root, name, err := c.opts.Policy.Open(in.FilePath)
	if err != nil {
		return nil, nil, err
	}
	defer root.Close()
	if c.opts.Processor == nil {
		return nil, nil, errors.New("PlantUML is not installed where this server runs, so files cannot be checked; install Debian's plantuml package or set PLANTUML_JAR, then restart the server")
	}
	source, err := readSmall(root, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("%s does not exist", in.FilePath)
		}
		return nil, nil, err
	}
	v, err := c.opts.Processor.Check(ctx, source, root.Path(filepath.Dir(name)))
	if err != nil {
		return nil, nil, err
	}
	out := &CheckOutput{Valid: v.Valid, DiagramType: v.Type, Line: v.Line, Message: v.Message}
	text := fmt.Sprintf("valid: %s is a %s diagram", in.FilePath, strings.ToLower(v.Type))
	if !v.Valid {
		text = "invalid: " + syntaxError(source, v)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, out, nil
}

// readSmall reads the regular file name in root, through it, so that no
// symbolic link swapped in after the policy's check leads out.
func readSmall(root *toolkit.Root, name string) (string, error) {
	path := root.Path(name)
	f, _, err := root.OpenRegular(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) > maxFile {
		return "", fmt.Errorf("%s is over %d bytes; split the diagram", path, maxFile)
	}
	return string(b), nil
}
