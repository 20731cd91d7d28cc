// Package replace provides the Replace tool: it writes a whole file,
// creating it or replacing its content, atomically and keeping the mode of
// an existing file. Paths are confined by a [toolkit.Policy].
package replace

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
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
	FilePath string `json:"file_path" jsonschema:"absolute path of the file to write; its folder must exist"`
	Content  string `json:"content" jsonschema:"the whole new content of the file"`
}

// Output is the tool's structured result.
type Output struct {
	FilePath string `json:"file_path" jsonschema:"the file that was written"`
	Created  bool   `json:"created" jsonschema:"whether the file was created rather than replaced"`
	Bytes    int    `json:"bytes" jsonschema:"the size of the file written"`
	Lines    int    `json:"lines" jsonschema:"the number of lines written"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// Policy confines the paths; nil means no confinement (but relative
	// paths are still refused).
	Policy *toolkit.Policy
}

// newFileMode is the mode of a file that Replace creates.
const newFileMode fs.FileMode = 0o644

// Register adds the Replace tool to s.
func Register(s *mcp.Server, opts *Options) {
	t := &tool{write: (*toolkit.Root).WriteFileAtomic}
	if opts != nil {
		t.policy = opts.Policy
	}
	mcp.AddTool(s, &mcp.Tool{
		Name:        "Replace",
		Description: description,
		Annotations: &mcp.ToolAnnotations{DestructiveHint: new(true), IdempotentHint: true, OpenWorldHint: new(false)},
	}, t.replace)
}

type tool struct {
	policy *toolkit.Policy
	// write is Root.WriteFileAtomic, replaced in tests to make it fail.
	write func(root *toolkit.Root, name string, data []byte, perm fs.FileMode) error
}

func (t *tool) replace(_ context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, Output, error) {
	root, name, err := t.policy.Open(in.FilePath)
	if err != nil {
		return nil, Output{}, err
	}
	defer root.Close()
	dir := filepath.Dir(in.FilePath)
	if info, err := root.Stat(filepath.Dir(name)); err != nil || !info.IsDir() {
		return nil, Output{}, fmt.Errorf("folder %s does not exist; create it first (for example with Bash: mkdir -p %s), then call Replace again", dir, dir)
	}
	perm, created := newFileMode, true
	info, err := root.Stat(name)
	switch {
	case err == nil && info.IsDir():
		return nil, Output{}, fmt.Errorf("%s is a directory; give the path of a file inside it, such as %s", in.FilePath, filepath.Join(in.FilePath, "file.txt"))
	case err == nil && !info.Mode().IsRegular():
		// Writing would put a regular file in place of a FIFO, a device
		// or a socket that something else relies on.
		return nil, Output{}, fmt.Errorf("%s is not a regular file (%s); Replace writes files only", in.FilePath, info.Mode().Type())
	case err == nil:
		perm, created = info.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky), false
	case !errors.Is(err, fs.ErrNotExist):
		return nil, Output{}, fmt.Errorf("reading %s: %w", in.FilePath, err)
	}
	if err := t.write(root, name, []byte(in.Content), perm); err != nil {
		return nil, Output{}, fmt.Errorf("%w; nothing was written", err)
	}

	out := Output{FilePath: in.FilePath, Created: created, Bytes: len(in.Content), Lines: countLines(in.Content)}
	verb := "Replaced the content of"
	if created {
		verb = "Created"
	}
	text := fmt.Sprintf("%s %s: wrote %d lines (%d bytes).", verb, in.FilePath, out.Lines, out.Bytes)
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, out, nil
}

// countLines counts lines as an editor shows them: a last line without a
// newline counts, an empty content has none.
func countLines(s string) int {
	n := strings.Count(s, "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}
