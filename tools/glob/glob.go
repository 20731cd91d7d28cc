// Package glob provides the GlobTool MCP tool, which finds files whose
// paths match a glob pattern (with ** for any depth and {a,b}
// alternatives) and lists them newest first with their size, modification
// time and permissions. It also exports the glob [Pattern] that the LS and
// GrepTool tools use for their filters.
package glob

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

//go:embed description.md
var description string

// DefaultLimit is the number of matches returned when the call sets none.
const DefaultLimit = 1000

// Input is the tool's arguments.
type Input struct {
	Pattern  string `json:"pattern" jsonschema:"glob pattern matched against paths relative to path, e.g. **/*.go, src/**/*.{ts,tsx}, *.md (this directory only)"`
	Path     string `json:"path,omitempty" jsonschema:"absolute path of the directory to search; default: the server's working directory"`
	Exclude  string `json:"exclude,omitempty" jsonschema:"glob of paths to leave out, e.g. **/vendor/** or *_test.go (without a slash it matches base names at any depth)"`
	Limit    int    `json:"limit,omitempty" jsonschema:"maximum number of matches to return, newest first; default 1000"`
	Absolute bool   `json:"absolute,omitempty" jsonschema:"return absolute paths instead of paths relative to path"`
}

// Output is the tool's structured result.
type Output struct {
	Matches []Match `json:"matches" jsonschema:"the matching files, newest first"`
	Total   int     `json:"total" jsonschema:"the number of files that matched, before the limit"`
}

// A Match is one matching file.
type Match struct {
	Path    string    `json:"path" jsonschema:"the file's path, relative to the searched directory unless absolute was set"`
	Size    int64     `json:"size" jsonschema:"size in bytes"`
	ModTime time.Time `json:"mod_time" jsonschema:"last modification time"`
	Mode    string    `json:"mode" jsonschema:"permissions, as ls -l shows them"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// Policy confines the paths the tool reads; nil means no confinement.
	Policy *toolkit.Policy
	// MaxOutput caps the text the tool returns, in characters; zero or
	// less means no limit.
	MaxOutput int
	// Dir is the default search directory; empty means the working
	// directory.
	Dir string
	// Include, when set, is a glob every match must also match (like
	// Exclude, a pattern without a slash matches base names): the
	// server's own filter, such as "*.go" for a Go toolset.
	Include string
}

// Register adds the GlobTool tool to s.
// It panics if opts.Include is not a valid glob: check it with [Compile].
func Register(s *mcp.Server, opts *Options) {
	t := &tool{}
	if opts != nil {
		t.opts = *opts
	}
	if t.opts.Include != "" {
		include, err := Compile(t.opts.Include)
		if err != nil {
			panic(fmt.Sprintf("GlobTool include %q: %v", t.opts.Include, err))
		}
		t.include = include
	}
	mcp.AddTool(s, &mcp.Tool{
		Name:        "GlobTool",
		Description: description,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}, t.glob)
}

type tool struct {
	opts    Options
	include *Pattern // nil: every file
}

func (t *tool) glob(ctx context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, Output, error) {
	if in.Limit < 0 {
		return nil, Output{}, fmt.Errorf("limit must be positive, got %d", in.Limit)
	}
	limit := cmp.Or(in.Limit, DefaultLimit)
	root, name, err := t.dir(in.Path)
	if err != nil {
		return nil, Output{}, err
	}
	defer root.Close()
	dir := root.Path(name)
	matches, err := find(ctx, root, name, in.Pattern, in.Exclude)
	if err != nil {
		return nil, Output{}, err
	}
	if t.include != nil {
		matches = slices.DeleteFunc(matches, func(m Match) bool { return !t.include.MatchName(m.Path) })
	}
	out := Output{Total: len(matches)}
	out.Matches = matches[:min(limit, len(matches))]
	if in.Absolute {
		for i := range out.Matches {
			out.Matches[i].Path = filepath.Join(dir, filepath.FromSlash(out.Matches[i].Path))
		}
	}
	text := format(dir, in, out)
	text = toolkit.Truncate(text, t.opts.MaxOutput, "give a narrower pattern, an exclude, or a smaller limit")
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, out, nil
}

// dir opens the root that holds the directory to search, and returns it
// with the directory's name in it. The caller closes the root.
func (t *tool) dir(p string) (*toolkit.Root, string, error) {
	dir, err := t.opts.Policy.SearchDir(p, t.opts.Dir)
	if err != nil {
		return nil, "", err
	}
	root, name, err := t.opts.Policy.Open(dir)
	if err != nil {
		return nil, "", err
	}
	info, err := root.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		err = fmt.Errorf("directory %s does not exist; use LS on its parent to see what is there", dir)
	case err == nil && !info.IsDir():
		err = fmt.Errorf("%s is a file, not a directory; give its directory as path, or read it with View", dir)
	}
	if err != nil {
		root.Close()
		return nil, "", err
	}
	return root, name, nil
}

func format(dir string, in Input, out Output) string {
	var b strings.Builder
	if out.Total == 0 {
		fmt.Fprintf(&b, "No files match %q in %s.", in.Pattern, dir)
		if !strings.Contains(in.Pattern, "**") && !strings.Contains(in.Pattern, "/") {
			fmt.Fprintf(&b, " The pattern only matches in that directory itself; use **/%s to search every level.", in.Pattern)
		}
		b.WriteByte('\n')
		return b.String()
	}
	for _, m := range out.Matches {
		fmt.Fprintf(&b, "%s  %s  %9d  %s\n", m.ModTime.Format(time.DateTime), m.Mode, m.Size, m.Path)
	}
	if len(out.Matches) < out.Total {
		fmt.Fprintf(&b, "[showed the %d newest of %d matches; raise limit, or narrow the pattern or path]\n", len(out.Matches), out.Total)
	} else {
		fmt.Fprintf(&b, "[%d matches in %s, newest first]\n", out.Total, dir)
	}
	return b.String()
}

// Find returns the regular files under dir (an absolute, resolved
// directory) whose slash-separated path relative to dir matches pattern and
// not exclude (which may be empty), newest first, with relative paths.
//
// It reads everything through the policy's root, so no symbolic link leads
// out of it, even one swapped in during the walk. It does not follow
// symbolic links to directories, except in the pattern's fixed prefix
// (dir/link/*.go) when they stay inside the root. A symbolic link to a file
// is listed only if it stays inside the root. A .git directory is skipped
// unless the pattern names it.
func Find(ctx context.Context, dir, pattern, exclude string, policy *toolkit.Policy) ([]Match, error) {
	root, name, err := policy.Open(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return find(ctx, root, name, pattern, exclude)
}

// find is Find in the directory name of root.
func find(ctx context.Context, root *toolkit.Root, name, pattern, exclude string) ([]Match, error) {
	pat, err := Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("%w; use * for any name, ** for any depth, {a,b} for alternatives", err)
	}
	if slices.Contains(strings.Split(pat.text, "/"), "..") {
		return nil, fmt.Errorf("pattern %q holds a .. segment; set path to the directory to search instead", pattern)
	}
	var excl *Pattern
	if exclude != "" {
		if excl, err = Compile(exclude); err != nil {
			return nil, err
		}
	}
	w := walker{
		ctx: ctx, root: root, pat: pat, excl: excl,
		skipGit: !strings.Contains(pattern, ".git"),
	}
	// The walk starts where the fixed prefix leads, links followed, and
	// paths are reported as under the prefix, links kept.
	prefix := path.Clean(pat.prefix())
	start, info, err := root.Follow(filepath.Join(name, prefix))
	if err != nil || !info.IsDir() {
		return nil, nil // no such directory, or a link that leaves the root
	}
	if prefix == "." {
		prefix = ""
	}
	dir, err := root.Sub(start)
	if err != nil {
		return nil, nil
	}
	if err := w.visit(dir, start, prefix); err != nil {
		return nil, err
	}
	slices.SortFunc(w.matches, func(a, b Match) int {
		return cmp.Or(b.ModTime.Compare(a.ModTime), strings.Compare(a.Path, b.Path))
	})
	return w.matches, nil
}

// A walker finds the matches of one call.
type walker struct {
	ctx     context.Context
	root    *toolkit.Root
	pat     *Pattern
	excl    *Pattern // nil: none
	skipGit bool
	matches []Match
}

// visit walks dir, the directory name of the root, whose path relative to
// the searched directory is rel ("" for that directory itself), and closes
// it. Each directory is a Root of its own, opened one step from its
// parent's, so that its entries are read and described through one handle,
// whatever is swapped in on the way to it.
func (w *walker) visit(dir *toolkit.Root, name, rel string) error {
	defer dir.Close()
	entries, err := dir.ReadDir(".")
	if err != nil {
		return nil
	}
	for _, d := range entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		erel := d.Name()
		if rel != "" {
			erel = rel + "/" + d.Name()
		}
		if d.IsDir() {
			if w.skipGit && d.Name() == ".git" || w.excl != nil && w.excl.MatchName(erel) {
				continue
			}
			if !w.pat.deep && strings.Count(erel, "/")+1 >= w.pat.segments {
				continue // too deep for a pattern without **
			}
			sub, err := dir.Sub(d.Name())
			if err != nil {
				continue
			}
			if err := w.visit(sub, filepath.Join(name, d.Name()), erel); err != nil {
				return err
			}
			continue
		}
		if w.pat.base != nil && !w.pat.matchBase(d.Name()) || w.pat.base == nil && !w.pat.Match(erel) || w.excl != nil && w.excl.MatchName(erel) {
			continue
		}
		info, ok := w.fileInfo(filepath.Join(name, d.Name()), d)
		if !ok {
			continue
		}
		w.matches = append(w.matches, Match{Path: erel, Size: info.Size(), ModTime: info.ModTime(), Mode: info.Mode().Perm().String()})
	}
	return nil
}

// fileInfo returns the information of a regular file, the entry d named
// name in the root, following a symbolic link only while it stays inside
// the root.
func (w *walker) fileInfo(name string, d fs.DirEntry) (fs.FileInfo, bool) {
	if d.Type()&fs.ModeSymlink != 0 {
		_, info, err := w.root.Follow(name)
		if err != nil || !info.Mode().IsRegular() {
			return nil, false
		}
		return info, true
	}
	if !d.Type().IsRegular() {
		return nil, false
	}
	info, err := d.Info()
	return info, err == nil
}
