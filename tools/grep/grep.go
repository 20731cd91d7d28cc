// Package grep provides the GrepTool MCP tool, which searches file contents
// with a Go regular expression, in parallel over a directory tree, and
// returns the matching lines as path:line:text in path order. It skips
// binary files and .git, and honours .gitignore files by default.
package grep

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/glob"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

//go:embed description.md
var description string

const (
	// DefaultMaxMatches is the number of matching lines returned before
	// the search stops.
	DefaultMaxMatches = 1000
	// MaxContext is the most context lines a call may ask for.
	MaxContext = 20
)

// Input is the tool's arguments.
type Input struct {
	Pattern    string `json:"pattern" jsonschema:"Go (RE2) regular expression to search for, e.g. func\\s+\\w+Handler or TODO|FIXME"`
	Path       string `json:"path,omitempty" jsonschema:"absolute path of the directory (or file) to search; default: the server's working directory"`
	Include    string `json:"include,omitempty" jsonschema:"glob of the files to search, e.g. *.go or *.{ts,tsx} (base names) or src/**/*.py (paths)"`
	IgnoreCase bool   `json:"ignore_case,omitempty" jsonschema:"match without regard to case"`
	Context    int    `json:"context,omitempty" jsonschema:"number of lines to show before and after each match, at most 20"`
	NoIgnore   bool   `json:"no_ignore,omitempty" jsonschema:"also search files that .gitignore excludes"`
}

// Output is the tool's structured result.
type Output struct {
	Matches   []Line `json:"matches" jsonschema:"the matching lines (and context lines), in path order"`
	Count     int    `json:"count" jsonschema:"the number of matching lines returned"`
	Files     int    `json:"files" jsonschema:"the number of files with a match"`
	Truncated bool   `json:"truncated" jsonschema:"true if the search stopped at the match limit"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// Policy confines the paths the tool reads; nil means no confinement.
	Policy *toolkit.Policy
	// MaxOutput caps the text the tool returns, in characters; zero or
	// less means no limit.
	MaxOutput int
	// MaxMatches is the number of matching lines after which the search
	// stops; default DefaultMaxMatches.
	MaxMatches int
	// Dir is the default search directory; empty means the working
	// directory.
	Dir string
}

// Register adds the GrepTool tool to s.
func Register(s *mcp.Server, opts *Options) {
	t := &tool{}
	if opts != nil {
		t.opts = *opts
	}
	t.opts.MaxMatches = cmp.Or(t.opts.MaxMatches, DefaultMaxMatches)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "GrepTool",
		Description: description,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}, t.grep)
}

type tool struct {
	opts Options
}

func (t *tool) grep(ctx context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, Output, error) {
	if in.Pattern == "" {
		return nil, Output{}, errors.New("pattern is empty; give a regular expression to search for")
	}
	if in.Context < 0 || in.Context > MaxContext {
		return nil, Output{}, fmt.Errorf("context must be between 0 and %d, got %d", MaxContext, in.Context)
	}
	expr := "(?m)" + in.Pattern
	if in.IgnoreCase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, Output{}, fmt.Errorf("pattern %q is not a valid Go regular expression (%v); escape special characters such as ( [ . * + ? with a backslash for a literal match", in.Pattern, errors.Unwrap(err))
	}
	q := Query{Re: re, Context: in.Context, NoIgnore: in.NoIgnore, MaxHits: t.opts.MaxMatches, Policy: t.opts.Policy}
	if in.Include != "" {
		if q.Include, err = glob.Compile(in.Include); err != nil {
			return nil, Output{}, fmt.Errorf("include: %w", err)
		}
	}
	if q.Dir, err = t.opts.Policy.SearchDir(in.Path, t.opts.Dir); err != nil {
		return nil, Output{}, err
	}
	res, err := Search(ctx, q)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, Output{}, fmt.Errorf("%s does not exist; use LS on its parent to see what is there", q.Dir)
	case err != nil:
		return nil, Output{}, fmt.Errorf("searching %s: %w", q.Dir, err)
	}
	out := Output{Matches: res.Lines, Count: res.Hits, Files: res.Files, Truncated: res.Truncated}
	if out.Matches == nil {
		out.Matches = []Line{}
	}
	text := format(q, in, res)
	text = toolkit.Truncate(text, t.opts.MaxOutput, "narrow the pattern, path or include, or lower context")
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, out, nil
}

func format(q Query, in Input, res Result) string {
	if res.Hits == 0 {
		msg := fmt.Sprintf("No matches for %q in %s (%d files searched", in.Pattern, q.Dir, res.Searched)
		if in.Include != "" {
			msg += fmt.Sprintf(", only files matching %q", in.Include)
		}
		msg += ")."
		if !in.NoIgnore {
			msg += " Files excluded by .gitignore were skipped; set no_ignore to search them."
		}
		if !in.IgnoreCase {
			msg += " Set ignore_case to match any case."
		}
		return msg + "\n"
	}
	var b strings.Builder
	for _, l := range res.Lines {
		switch {
		case l.Number == 0:
			b.WriteString("--\n")
		case l.Context:
			fmt.Fprintf(&b, "%s-%d-%s\n", l.Path, l.Number, l.Text)
		default:
			fmt.Fprintf(&b, "%s:%d:%s\n", l.Path, l.Number, l.Text)
		}
	}
	if res.Truncated {
		fmt.Fprintf(&b, "[stopped after %d matching lines in %d files; narrow the pattern, path or include to see the rest]\n", res.Hits, res.Files)
	} else {
		fmt.Fprintf(&b, "[%d matching lines in %d files]\n", res.Hits, res.Files)
	}
	return b.String()
}
