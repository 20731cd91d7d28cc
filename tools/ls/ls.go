// Package ls provides the LS MCP tool, which lists one directory: each
// entry with its type, size and modification time, directories first.
package ls

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/glob"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

//go:embed description.md
var description string

// DefaultMaxEntries is the number of entries listed before the listing is
// cut.
const DefaultMaxEntries = 1000

// Input is the tool's arguments.
type Input struct {
	Path   string   `json:"path" jsonschema:"absolute path of the directory to list"`
	Ignore []string `json:"ignore,omitempty" jsonschema:"glob patterns of entry names to leave out, e.g. [\"*.log\", \"node_modules\"]"`
}

// Output is the tool's structured result.
type Output struct {
	Path    string  `json:"path" jsonschema:"the directory listed"`
	Entries []Entry `json:"entries" jsonschema:"the entries, directories first, then by name"`
	Total   int     `json:"total" jsonschema:"the number of entries, before the cap"`
}

// An Entry is one directory entry.
type Entry struct {
	Name    string    `json:"name"`
	Type    string    `json:"type" jsonschema:"dir, file, symlink or other"`
	Size    int64     `json:"size" jsonschema:"size in bytes (for a symlink, of the link itself)"`
	ModTime time.Time `json:"mod_time"`
	Target  string    `json:"target,omitempty" jsonschema:"for a symlink, where it points"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// Policy confines the directories the tool lists; nil means no
	// confinement.
	Policy *toolkit.Policy
	// MaxOutput caps the text the tool returns, in characters; zero or
	// less means no limit.
	MaxOutput int
	// MaxEntries is the number of entries listed before the listing is
	// cut; default DefaultMaxEntries.
	MaxEntries int
}

// Register adds the LS tool to s.
func Register(s *mcp.Server, opts *Options) {
	t := &tool{}
	if opts != nil {
		t.opts = *opts
	}
	t.opts.MaxEntries = cmp.Or(t.opts.MaxEntries, DefaultMaxEntries)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "LS",
		Description: description,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}, t.ls)
}

type tool struct {
	opts Options
}

func (t *tool) ls(ctx context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, Output, error) {
	if in.Path == "" {
		return nil, Output{}, errors.New("path is empty; give the absolute path of the directory to list")
	}
	var ignore []*glob.Pattern
	for _, g := range in.Ignore {
		p, err := glob.Compile(g)
		if err != nil {
			return nil, Output{}, fmt.Errorf("ignore: %w", err)
		}
		ignore = append(ignore, p)
	}
	root, name, err := t.opts.Policy.Open(in.Path)
	if err != nil {
		return nil, Output{}, err
	}
	defer root.Close()
	info, err := root.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, Output{}, fmt.Errorf("%s does not exist; list its parent %s to see what is there", in.Path, filepath.Dir(in.Path))
	case err != nil:
		return nil, Output{}, err
	case !info.IsDir():
		return nil, Output{}, fmt.Errorf("%s is a file, not a directory; read it with View", in.Path)
	}
	// The directory as a Root of its own: its entries are read and
	// described through one handle, whatever becomes of its path.
	dir, err := root.Sub(name)
	if err != nil {
		return nil, Output{}, fmt.Errorf("listing %s: %w", in.Path, err)
	}
	defer dir.Close()
	entries, err := dir.ReadDir(".")
	if err != nil {
		return nil, Output{}, fmt.Errorf("listing %s: %w", in.Path, err)
	}
	out := Output{Path: in.Path, Entries: []Entry{}}
	for _, d := range entries {
		if ctx.Err() != nil {
			return nil, Output{}, ctx.Err()
		}
		if slices.ContainsFunc(ignore, func(p *glob.Pattern) bool { return p.Match(d.Name()) }) {
			continue
		}
		out.Entries = append(out.Entries, t.entry(dir, d))
	}
	slices.SortFunc(out.Entries, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a.Name, b.Name))
	})
	out.Total = len(out.Entries)
	out.Entries = out.Entries[:min(len(out.Entries), t.opts.MaxEntries)]
	text := format(out)
	text = toolkit.Truncate(text, t.opts.MaxOutput, "list with ignore patterns, or use GlobTool with a pattern to see part of the directory")
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, out, nil
}

// entry describes d, an entry of dir, without following it if it is a
// symlink: a link is shown with its target, unless the target lies outside
// the roots.
func (t *tool) entry(dir *toolkit.Root, d fs.DirEntry) Entry {
	e := Entry{Name: d.Name(), Type: "other"}
	if info, err := d.Info(); err == nil {
		e.Size, e.ModTime = info.Size(), info.ModTime()
	}
	switch {
	case d.IsDir():
		e.Type = "dir"
	case d.Type().IsRegular():
		e.Type = "file"
	case d.Type()&fs.ModeSymlink != 0:
		e.Type = "symlink"
		target, err := dir.Readlink(d.Name())
		switch {
		case err != nil:
			e.Target = "(unreadable)"
		case t.opts.Policy.Confined():
			if _, err := t.opts.Policy.Resolve(dir.Path(d.Name())); err != nil {
				e.Target = "(outside the allowed roots)"
				break
			}
			e.Target = target
		default:
			e.Target = target
		}
	}
	return e
}

func rank(e Entry) int {
	if e.Type == "dir" {
		return 0
	}
	return 1
}

func format(out Output) string {
	var b strings.Builder
	if out.Total == 0 {
		return fmt.Sprintf("%s is empty (or every entry was ignored).\n", out.Path)
	}
	fmt.Fprintf(&b, "%s (%d entries)\n", out.Path, out.Total)
	for _, e := range out.Entries {
		name := e.Name
		size := fmt.Sprint(e.Size)
		switch e.Type {
		case "dir":
			name += "/"
			size = "-"
		case "symlink":
			name += " -> " + e.Target
		}
		fmt.Fprintf(&b, "%-7s  %10s  %s  %s\n", e.Type, size, e.ModTime.Format(time.DateTime), name)
	}
	if len(out.Entries) < out.Total {
		fmt.Fprintf(&b, "[listed %d of %d entries; %d more not shown; pass ignore patterns, or use GlobTool with a pattern to find what you need]\n", len(out.Entries), out.Total, out.Total-len(out.Entries))
	}
	return b.String()
}
