package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/owulveryck/gomcptest/host/agent"
)

// view shows a session on the terminal: the answer as it streams
// (Markdown when md is set), each tool call when it starts and when it
// ends, and the session's own notes. Tool lines go to tools, which is the
// answer's writer in a session and stderr for -p, so that stdout then holds
// the answer alone.
//
// A view is safe for concurrent use: its lock also serialises the
// questions of -approve with the events.
type view struct {
	mu     sync.Mutex
	out    io.Writer
	tools  io.Writer
	md     *markdown // nil: plain text
	color  bool
	width  int
	midOut bool // the last byte written to out was not a newline
	// afterTools: tool lines were the last output, so the paragraph
	// break that starts the next model turn's text is not needed.
	afterTools bool
	quiet      bool // the answer alone: no notes (for -format json)
}

// ANSI styles, used only when color is set.
const (
	dim   = "\x1b[2m"
	red   = "\x1b[31m"
	green = "\x1b[32m"
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

func (v *view) style(s, text string) string {
	if !v.color {
		return text
	}
	return s + text + reset
}

// event shows one event of the agent loop.
func (v *view) event(e agent.Event) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch e.Kind {
	case agent.EventText:
		if v.quiet {
			return nil
		}
		text := e.Text
		if v.afterTools {
			if text = strings.TrimLeft(text, "\n"); text == "" {
				return nil
			}
			v.afterTools = false
		}
		if v.md != nil {
			return v.md.write(text)
		}
		return v.writeOut(text)
	case agent.EventToolCall:
		if err := v.endText(); err != nil {
			return err
		}
		c := e.ToolCall
		_, err := fmt.Fprintf(v.tools, "%s %s %s\n", v.style(dim, "→"), v.style(bold, c.Name), v.style(dim, short(compact(c.Arguments), v.width-len(c.Name)-4)))
		return err
	case agent.EventToolResult:
		return v.toolResult(e)
	case agent.EventFinish:
		return v.endText()
	}
	return nil
}

// toolResult shows the end of a call: its duration and the first lines of
// what it returned, or its error.
func (v *view) toolResult(e agent.Event) error {
	if err := v.endText(); err != nil {
		return err
	}
	r := e.ToolResult
	mark, what := v.style(green, "✓"), ""
	switch {
	case e.Refused:
		mark, what = v.style(red, "✗"), v.style(red, "not run")
	case r.IsError:
		mark, what = v.style(red, "✗"), v.style(red, "error")
	}
	head := fmt.Sprintf("%s %s %s", mark, v.style(bold, r.Name), v.style(dim, e.Duration.Round(time.Millisecond).String()))
	if what != "" {
		head += " " + what
	}
	lines := strings.Split(strings.TrimRight(r.Content, "\n"), "\n")
	const shown = 4
	var b strings.Builder
	b.WriteString(head + "\n")
	for i, l := range lines {
		if i == shown {
			b.WriteString(v.style(dim, fmt.Sprintf("  │ … %d more lines", len(lines)-shown)) + "\n")
			break
		}
		if i == 0 && l == "" && len(lines) == 1 {
			break
		}
		b.WriteString(v.style(dim, "  │ "+short(l, v.width-4)) + "\n")
	}
	if n := len(r.Media); n > 0 {
		b.WriteString(v.style(dim, fmt.Sprintf("  │ (%d images or files)", n)) + "\n")
	}
	_, err := io.WriteString(v.tools, b.String())
	v.afterTools = true
	return err
}

// note shows a line of the session's own (a resumed file, a trim, an
// interruption), on a line of its own.
func (v *view) note(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.quiet {
		return
	}
	_ = v.endText()
	fmt.Fprintln(v.tools, v.style(dim, fmt.Sprintf(format, args...)))
}

// println writes a line of output (the welcome line, /tools).
func (v *view) println(s string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	_ = v.endText()
	_ = v.writeOut(s + "\n")
}

// endText ends the answer's text so that what follows starts a line.
func (v *view) endText() error {
	if v.md != nil {
		if err := v.md.flush(); err != nil {
			return err
		}
	}
	if v.midOut {
		return v.writeOut("\n")
	}
	return nil
}

func (v *view) writeOut(s string) error {
	if s == "" {
		return nil
	}
	_, err := io.WriteString(v.out, s)
	v.midOut = !strings.HasSuffix(s, "\n")
	return err
}

// compact is a tool call's arguments on one line.
func compact(args json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, args) != nil {
		return string(args)
	}
	if b.String() == "{}" || b.Len() == 0 {
		return ""
	}
	return b.String()
}

// short cuts s to n runes, marking the cut.
func short(s string, n int) string {
	n = max(n, 20)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
