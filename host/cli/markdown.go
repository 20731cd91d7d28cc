package cli

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/charmbracelet/glamour"
)

// markdown renders a streamed answer as Markdown for a terminal, one block
// at a time: a paragraph, a list or a fenced code block is rendered when
// the blank line after it (or the closing fence) arrives, so the answer
// appears as it is written without a half-parsed block ever on screen.
//
// Rendering is glamour's (github.com/charmbracelet/glamour: goldmark for
// CommonMark, chroma for code), rather than a renderer of our own: tables,
// nested lists, links and highlighted code come with it.
type markdown struct {
	r       *glamour.TermRenderer
	w       io.Writer
	pending strings.Builder // text of the block being written
	wrote   bool            // a block of this answer was written
}

func newMarkdown(w io.Writer, style string, width int) (*markdown, error) {
	if style == "" {
		style = "dark"
	}
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(max(width-4, 20)), glamour.WithEmoji())
	if err != nil {
		return nil, fmt.Errorf("starting the Markdown renderer: %w", err)
	}
	return &markdown{r: r, w: w}, nil
}

// write adds text to the answer and renders the blocks it completes.
func (m *markdown) write(text string) error {
	m.pending.WriteString(text)
	s := m.pending.String()
	end := blockEnd(s)
	if end == 0 {
		return nil
	}
	m.pending.Reset()
	m.pending.WriteString(s[end:])
	return m.render(s[:end])
}

// flush renders what is left of the answer; the next write starts a new
// answer.
func (m *markdown) flush() error {
	s := m.pending.String()
	m.pending.Reset()
	err := m.render(s)
	m.wrote = false
	return err
}

func (m *markdown) render(src string) error {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	out, err := m.r.Render(src)
	if err != nil {
		// Show the text rather than lose it.
		out = src
	}
	// glamour pads every line to the wrap width and frames the document
	// with blank lines; a terminal needs neither.
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = trailingPad.ReplaceAllString(l, "")
		if strings.Contains(lines[i], "\x1b[") {
			lines[i] += "\x1b[0m"
		}
	}
	block := strings.Trim(strings.Join(lines, "\n"), "\n")
	if block == "" {
		return nil
	}
	if m.wrote {
		block = "\n" + block
	}
	m.wrote = true
	_, err = io.WriteString(m.w, block+"\n")
	return err
}

// trailingPad is the end of a rendered line: spaces, each in its own
// colour.
var trailingPad = regexp.MustCompile(`(?:\x1b\[[0-9;]*m| )+$`)

// blockEnd returns the length of the complete blocks at the start of s:
// up to the last blank line outside a fenced code block, or to the end of
// a closing fence line. It is 0 when no block is complete.
func blockEnd(s string) int {
	end, pos := 0, 0
	fence := "" // the opening fence while inside one
	for {
		nl := strings.IndexByte(s[pos:], '\n')
		if nl < 0 {
			return end
		}
		line := strings.TrimSpace(s[pos : pos+nl])
		pos += nl + 1
		switch {
		case fence != "":
			if strings.HasPrefix(line, fence) && strings.Trim(line, fence[:1]) == "" {
				fence = ""
				end = pos
			}
		case strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~"):
			fence = line[:3]
		case line == "":
			end = pos
		}
	}
}
