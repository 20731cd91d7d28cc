// Package view provides the View MCP tool, which reads a text file with
// numbered lines (as cat -n prints them), a window of it at a time, and
// returns images as MCP image content.
package view

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

//go:embed description.md
var description string

const (
	// DefaultLimit is the number of lines read when the call sets none.
	DefaultLimit = 2000
	// MaxLineLength is the number of characters of a line shown; the rest
	// of a longer line is cut.
	MaxLineLength = 2000
	// DefaultMaxImageBytes is the largest image returned as image content.
	DefaultMaxImageBytes = 10 << 20
	// sniffLen is how much of a file is examined to tell text from binary.
	sniffLen = 8 << 10
	// noteRoom is the part of the output limit kept for the closing notes.
	noteRoom = 300
)

// Input is the tool's arguments.
type Input struct {
	FilePath string `json:"file_path" jsonschema:"absolute path of the file to read"`
	Offset   int    `json:"offset,omitempty" jsonschema:"number of the first line to read, from 1; default 1"`
	Limit    int    `json:"limit,omitempty" jsonschema:"number of lines to read; default 2000"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// Policy confines the files the tool reads; nil means no confinement.
	Policy *toolkit.Policy
	// MaxOutput caps the text the tool returns, in characters; zero or
	// less means no limit.
	MaxOutput int
	// MaxImageBytes is the largest image returned; default
	// DefaultMaxImageBytes.
	MaxImageBytes int64
}

// Register adds the View tool to s.
func Register(s *mcp.Server, opts *Options) {
	t := &tool{}
	if opts != nil {
		t.opts = *opts
	}
	t.opts.MaxImageBytes = cmp.Or(t.opts.MaxImageBytes, DefaultMaxImageBytes)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "View",
		Description: description,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
	}, t.view)
}

type tool struct {
	opts Options
}

func (t *tool) view(ctx context.Context, _ *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, any, error) {
	if in.Offset < 0 || in.Limit < 0 {
		return nil, nil, fmt.Errorf("offset and limit must be positive (lines are numbered from 1), got offset=%d limit=%d", in.Offset, in.Limit)
	}
	if in.FilePath == "" {
		return nil, nil, errors.New("file_path is empty; give the absolute path of the file to read")
	}
	root, name, err := t.opts.Policy.Open(in.FilePath)
	if err != nil {
		return nil, nil, err
	}
	defer root.Close()
	f, info, err := root.OpenRegular(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("%s does not exist; use GlobTool to find a file by name, or LS on %s to see what is there", in.FilePath, filepath.Dir(in.FilePath))
	case errors.Is(err, toolkit.ErrNotRegular) && info.IsDir():
		return nil, nil, fmt.Errorf("%s is a directory; use LS to list it, or GlobTool to find files below it", in.FilePath)
	case errors.Is(err, toolkit.ErrNotRegular):
		return nil, nil, fmt.Errorf("%s is not a regular file (%s); View reads files only", in.FilePath, info.Mode().Type())
	case err != nil:
		return nil, nil, fmt.Errorf("opening %s: %w", in.FilePath, err)
	}
	defer f.Close()

	r := bufio.NewReaderSize(f, 64<<10)
	head, err := r.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, nil, fmt.Errorf("reading %s: %w", in.FilePath, err)
	}
	if mime := imageType(head); mime != "" {
		return t.image(r, in.FilePath, mime, info.Size())
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, nil, fmt.Errorf("%s is a binary file (%d bytes) that View cannot show as text; if it must be inspected, use Bash with a tool such as file or xxd", in.FilePath, info.Size())
	}
	text, err := t.lines(ctx, r, in)
	if err != nil {
		return nil, nil, err
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil, nil
}

// image returns the file as image content.
func (t *tool) image(r io.Reader, name, mime string, size int64) (*mcp.CallToolResult, any, error) {
	if size > t.opts.MaxImageBytes {
		return nil, nil, fmt.Errorf("%s is a %s image of %d bytes, over the %d-byte limit; make a smaller copy with Bash (e.g. ImageMagick convert -resize) and view that", name, mime, size, t.opts.MaxImageBytes)
	}
	data, err := io.ReadAll(io.LimitReader(r, t.opts.MaxImageBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.ImageContent{Data: data, MIMEType: mime}}}, nil, nil
}

// imageType returns the MIME type of an image the model can see, judged by
// its content, or "" for anything else.
func imageType(head []byte) string {
	sniffed := http.DetectContentType(head)
	switch sniffed {
	case "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp":
		return sniffed
	}
	return "" // SVG too: it is text, and its source is what the model can use
}

// lines numbers the window of lines the call asked for, and says what was
// left out and how to read it.
func (t *tool) lines(ctx context.Context, r *bufio.Reader, in Input) (string, error) {
	first := cmp.Or(in.Offset, 1)
	limit := cmp.Or(in.Limit, DefaultLimit)
	var (
		b        strings.Builder
		n        int // lines read so far
		shown    int // last line shown
		capped   bool
		longCuts int
	)
	// The lines get the output limit less room for the notes at the end,
	// which must not be cut: they say how to read on.
	budget := t.opts.MaxOutput
	if budget > 0 {
		budget = max(budget-noteRoom, budget/2)
	}
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: keep its start, skip the rest.
			long := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = r.ReadSlice('\n')
			}
			line = append(long, '\n')
		}
		if len(line) == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return "", fmt.Errorf("reading %s: %w", in.FilePath, err)
		}
		n++
		if n%4096 == 0 && ctx.Err() != nil {
			return "", ctx.Err()
		}
		if n < first || n >= first+limit || capped {
			if err != nil {
				break
			}
			continue
		}
		text := strings.TrimRight(string(bytes.TrimSuffix(line, []byte("\n"))), "\r")
		if cut := cutLine(text); cut != text {
			text = cut
			longCuts++
		}
		entry := fmt.Sprintf("%6d\t%s\n", n, text)
		if budget > 0 && b.Len()+len(entry) > budget && shown > 0 {
			capped = true
			continue
		}
		b.WriteString(entry)
		shown = n
		if err != nil {
			break
		}
	}
	total := n
	switch {
	case total == 0:
		return fmt.Sprintf("%s is empty.\n", in.FilePath), nil
	case first > total:
		return "", fmt.Errorf("offset %d is past the end of %s, which has %d lines; read from offset=1, or offset=%d for the last lines", first, in.FilePath, total, max(1, total-limit+1))
	}
	out := b.String()
	if longCuts > 0 {
		out += fmt.Sprintf("[%d lines longer than %d characters were cut]\n", longCuts, MaxLineLength)
	}
	if shown < total {
		why := "the end of the window"
		if capped {
			why = fmt.Sprintf("the %d-character output limit", t.opts.MaxOutput)
		}
		out += fmt.Sprintf("[showed lines %d-%d of %d, stopping at %s; call View with offset=%d to read on]\n", first, shown, total, why, shown+1)
	}
	return out, nil
}

// cutLine cuts a line to MaxLineLength characters, saying how long it was.
func cutLine(s string) string {
	if len(s) <= MaxLineLength {
		return s
	}
	count := 0
	for i := range s {
		if count == MaxLineLength {
			return s[:i] + fmt.Sprintf("… [line cut: %d characters in all]", len([]rune(s)))
		}
		count++
	}
	return s
}
