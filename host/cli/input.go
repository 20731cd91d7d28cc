package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chzyer/readline"
)

// errCtrlC is a Ctrl-C typed while a line was read.
var errCtrlC = errors.New("Ctrl-C")

// lineReader reads what the user types, one line at a time.
type lineReader interface {
	// readLine returns the next line without its newline. It returns
	// io.EOF at the end of the input (Ctrl-D), errCtrlC for Ctrl-C,
	// and ctx's error when ctx ends first.
	readLine(ctx context.Context, prompt string) (string, error)
	close() error
}

// terminalReader edits lines on a terminal, with a persistent input
// history (github.com/chzyer/readline: Emacs keys, Ctrl-R search, no
// dependency but x/sys).
type terminalReader struct {
	rl *readline.Instance
}

func newTerminalReader(in io.ReadCloser, out, errOut io.Writer, historyFile string) (*terminalReader, error) {
	rl, err := readline.NewEx(&readline.Config{
		Prompt:            "> ",
		HistoryFile:       historyFile,
		HistorySearchFold: true,
		Stdin:             in,
		Stdout:            out,
		Stderr:            errOut,
	})
	if err != nil {
		return nil, fmt.Errorf("starting line editing: %w", err)
	}
	return &terminalReader{rl: rl}, nil
}

func (t *terminalReader) readLine(ctx context.Context, prompt string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	t.rl.SetPrompt(prompt)
	line, err := t.rl.Readline()
	switch {
	case errors.Is(err, readline.ErrInterrupt):
		return line, errCtrlC
	case err != nil:
		return "", err
	}
	return line, nil
}

func (t *terminalReader) close() error { return t.rl.Close() }

// pipeReader reads lines from a pipe or a file. Lines are read ahead by a
// goroutine so that a read can end with its context; echo, when set,
// receives each prompt and line, so a transcript reads like a terminal.
type pipeReader struct {
	lines chan string
	err   error // set before lines is closed
	done  chan struct{}
	echo  io.Writer
}

func newPipeReader(in io.Reader, echo io.Writer) *pipeReader {
	p := &pipeReader{lines: make(chan string), done: make(chan struct{}), echo: echo}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
		for sc.Scan() {
			select {
			case p.lines <- strings.TrimSuffix(sc.Text(), "\r"):
			case <-p.done:
				return
			}
		}
		p.err = sc.Err()
	}()
	return p
}

func (p *pipeReader) readLine(ctx context.Context, prompt string) (string, error) {
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case line, ok := <-p.lines:
		if !ok {
			if p.err != nil {
				return "", fmt.Errorf("reading the input: %w", p.err)
			}
			return "", io.EOF
		}
		if p.echo != nil {
			fmt.Fprintf(p.echo, "%s%s\n", prompt, line)
		}
		return line, nil
	}
}

// close stops the reading ahead; a read blocked in the input goes on
// until the input ends.
func (p *pipeReader) close() error {
	close(p.done)
	return nil
}

// readPrompt reads one prompt, which may span lines: a line ending with a
// backslash goes on on the next, and a line `"""` opens a block that ends
// at the next `"""`.
func readPrompt(ctx context.Context, r lineReader, prompt string) (string, error) {
	const more = "… "
	line, err := r.readLine(ctx, prompt)
	if err != nil {
		return line, err
	}
	if strings.TrimSpace(line) == `"""` {
		var block []string
		for {
			l, err := r.readLine(ctx, more)
			if err != nil {
				return "", err
			}
			if strings.TrimSpace(l) == `"""` {
				return strings.Join(block, "\n"), nil
			}
			block = append(block, l)
		}
	}
	var lines []string
	for strings.HasSuffix(line, `\`) {
		lines = append(lines, strings.TrimSuffix(line, `\`))
		if line, err = r.readLine(ctx, more); err != nil {
			return "", err
		}
	}
	return strings.Join(append(lines, line), "\n"), nil
}
