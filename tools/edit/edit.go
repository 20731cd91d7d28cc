// Package edit provides the Edit tool: it replaces an exact piece of text in
// a file (once, or everywhere with replace_all), or creates a new file, and
// answers with the edited lines. Paths are confined by a [toolkit.Policy];
// files keep their mode and line endings and are written atomically.
package edit

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

//go:embed description.md
var description string

// Input is the tool's arguments.
type Input struct {
	FilePath   string `json:"file_path" jsonschema:"absolute path of the file to edit, or to create when old_string is empty"`
	OldString  string `json:"old_string" jsonschema:"the exact text to replace, as it appears in the file; it must occur once unless replace_all is true; empty to create a new file"`
	NewString  string `json:"new_string" jsonschema:"the text that replaces old_string (empty deletes it), or the content of a new file"`
	ReplaceAll bool   `json:"replace_all,omitempty" jsonschema:"replace every occurrence of old_string instead of requiring exactly one (default false)"`
}

// Output is the tool's structured result.
type Output struct {
	FilePath     string   `json:"file_path" jsonschema:"the file that was edited"`
	Created      bool     `json:"created" jsonschema:"whether the file was created"`
	Replacements int      `json:"replacements" jsonschema:"how many occurrences were replaced"`
	Regions      []Region `json:"regions" jsonschema:"the lines that now hold new_string"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// Policy confines the paths; nil means no confinement (but relative
	// paths are still refused).
	Policy *toolkit.Policy
	// MaxOutput caps the characters of the answer; zero means
	// [toolkit.DefaultMaxOutput], a negative value no limit.
	MaxOutput int
}

// Register adds the Edit tool to s.
func Register(s *mcp.Server, opts *Options) {
	t := &tool{maxOutput: toolkit.DefaultMaxOutput, write: (*toolkit.Root).WriteFileAtomic}
	if opts != nil {
		t.policy = opts.Policy
		if opts.MaxOutput != 0 {
			t.maxOutput = opts.MaxOutput
		}
	}
	mcp.AddTool(s, &mcp.Tool{
		Name:        "Edit",
		Description: description,
		Annotations: &mcp.ToolAnnotations{DestructiveHint: new(true), OpenWorldHint: new(false)},
	}, t.edit)
}

type tool struct {
	policy    *toolkit.Policy
	maxOutput int
	// write is Root.WriteFileAtomic, replaced in tests to make it fail.
	write func(root *toolkit.Root, name string, data []byte, perm fs.FileMode) error
}

// contextLines is how many unchanged lines the answer shows around an edit.
const contextLines = 2

func (t *tool) edit(_ context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, Output, error) {
	root, name, err := t.policy.Open(in.FilePath)
	if err != nil {
		return nil, Output{}, err
	}
	defer root.Close()
	f, info, err := root.OpenRegular(name)
	switch {
	case errors.Is(err, fs.ErrNotExist) && in.OldString == "":
		return t.create(root, name, in)
	case errors.Is(err, fs.ErrNotExist):
		return nil, Output{}, fmt.Errorf("%s does not exist; to create it, call Edit with an empty old_string and the content in new_string", in.FilePath)
	case errors.Is(err, toolkit.ErrNotRegular) && info.IsDir():
		return nil, Output{}, fmt.Errorf("%s is a directory; give the path of a file", in.FilePath)
	case errors.Is(err, toolkit.ErrNotRegular):
		return nil, Output{}, fmt.Errorf("%s is not a regular file (%s); Edit changes files only", in.FilePath, info.Mode().Type())
	case err != nil:
		return nil, Output{}, fmt.Errorf("reading %s: %w", in.FilePath, err)
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, Output{}, fmt.Errorf("reading %s: %w", in.FilePath, err)
	}
	if in.OldString == "" {
		if len(data) > 0 {
			return nil, Output{}, fmt.Errorf("%s already exists; give the text to replace in old_string, or use Replace to rewrite the whole file", in.FilePath)
		}
		return t.create(root, name, in)
	}

	text, crlf := normalize(string(data))
	old, _ := normalize(in.OldString)
	newText, _ := normalize(in.NewString)
	edited, regions, err := replace(text, old, newText, in.ReplaceAll)
	if err != nil {
		return nil, Output{}, fmt.Errorf("editing %s: %w", in.FilePath, err)
	}
	out := edited
	if crlf {
		out = strings.ReplaceAll(edited, "\n", "\r\n")
	}
	if err := t.write(root, name, []byte(out), info.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		return nil, Output{}, fmt.Errorf("%w; the file was left unchanged", err)
	}

	var b strings.Builder
	noun := "occurrence"
	if len(regions) > 1 {
		noun += "s"
	}
	fmt.Fprintf(&b, "Edited %s: replaced %d %s. The edited lines now read (line number, tab, text):\n", in.FilePath, len(regions), noun)
	b.WriteString(excerpt(edited, regions, contextLines))
	result := toolkit.Truncate(b.String(), t.maxOutput, "the edit was made; read the file with View to see the rest")
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: result}}},
		Output{FilePath: in.FilePath, Replacements: len(regions), Regions: regions}, nil
}

// create writes a new file, or fills an empty one, at name in root.
func (t *tool) create(root *toolkit.Root, name string, in Input) (*mcp.CallToolResult, Output, error) {
	if info, err := root.Stat(filepath.Dir(name)); err != nil || !info.IsDir() {
		return nil, Output{}, fmt.Errorf("folder %s does not exist; create it first (for example with Bash: mkdir -p %s), then call Edit again", filepath.Dir(in.FilePath), filepath.Dir(in.FilePath))
	}
	perm := fs.FileMode(0o644)
	if info, err := root.Stat(name); err == nil {
		perm = info.Mode().Perm()
	}
	if err := t.write(root, name, []byte(in.NewString), perm); err != nil {
		return nil, Output{}, err
	}
	lines := strings.Count(in.NewString, "\n")
	if !strings.HasSuffix(in.NewString, "\n") {
		lines++
	}
	text := fmt.Sprintf("Created %s (%d lines, %d bytes).", in.FilePath, lines, len(in.NewString))
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}},
		Output{FilePath: in.FilePath, Created: true, Regions: []Region{{Start: 1, End: max(lines, 1)}}}, nil
}

// normalize turns CRLF line endings into LF and reports whether text used
// CRLF for every line, in which case the edit writes CRLF back. A file that
// mixes both is left as it is, so that nothing but the edit changes.
func normalize(text string) (string, bool) {
	crlf := strings.Count(text, "\r\n")
	if crlf == 0 || crlf != strings.Count(text, "\n") {
		return text, false
	}
	return strings.ReplaceAll(text, "\r\n", "\n"), true
}

// excerpt shows the regions of text with context lines around them, each
// line prefixed by its number, and "..." between parts that do not touch.
func excerpt(text string, regions []Region, context int) string {
	lines := strings.Split(text, "\n")
	if len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var b strings.Builder
	last := 0 // last line shown
	for _, r := range regions {
		from := max(r.Start-context, last+1, 1)
		to := min(r.End+context, len(lines))
		if last > 0 && from > last+1 {
			b.WriteString("...\n")
		}
		for n := from; n <= to; n++ {
			fmt.Fprintf(&b, "%6d\t%s\n", n, lines[n-1])
		}
		last = max(last, to)
	}
	return b.String()
}
