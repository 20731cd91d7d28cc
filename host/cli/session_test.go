package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/owulveryck/gomcptest/internal/syncbuf"
)

// terminal is a session run in-process on pipes: the test types lines,
// sends interrupts and reads the output a line at a time.
type terminal struct {
	t          *testing.T
	in         *io.PipeWriter
	lines      chan string
	interrupts chan os.Signal
	done       chan int
	stderr     *syncbuf.Buffer
}

func startSession(t *testing.T, args ...string) *terminal {
	t.Helper()
	cfg, err := parseConfig(args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	term := &terminal{t: t, in: inW, lines: make(chan string, 1000), interrupts: make(chan os.Signal, 1), done: make(chan int, 1), stderr: &syncbuf.Buffer{}}
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			term.lines <- sc.Text()
		}
		close(term.lines)
	}()
	go func() {
		code, err := run(t.Context(), cfg, streams{in: inR, out: outW, err: term.stderr}, term.interrupts)
		if err != nil {
			t.Errorf("run: %v", err)
		}
		outW.Close()
		term.done <- code
	}()
	t.Cleanup(func() { inW.Close() })
	return term
}

func (term *terminal) typeLine(s string) {
	term.t.Helper()
	if _, err := io.WriteString(term.in, s+"\n"); err != nil {
		term.t.Fatalf("typing %q: %v", s, err)
	}
}

// waitFor reads the output until a line matches re, and returns it.
func (term *terminal) waitFor(re string) string {
	term.t.Helper()
	rx := regexp.MustCompile(re)
	var seen []string
	for line := range term.lines {
		if rx.MatchString(line) {
			return line
		}
		seen = append(seen, line)
	}
	term.t.Fatalf("the output ended with no line matching %q:\n%s\nstderr:\n%s", re, strings.Join(seen, "\n"), term.stderr)
	return ""
}

// exit ends the input and returns the exit code.
func (term *terminal) exit() int {
	term.in.Close()
	for range term.lines {
	}
	return <-term.done
}

// blockingSleep serves a sleep tool over streamable HTTP that sleeps until
// its call is cancelled: it reports each start, and the error its context
// ended with. A call still running when the test ends is stopped.
func blockingSleep(t *testing.T) (url string, started chan struct{}, cancelled chan error) {
	started, cancelled = make(chan struct{}, 1), make(chan error, 1)
	testDone := make(chan struct{})
	srv := mcp.NewServer(&mcp.Implementation{Name: "slow", Version: "v0"}, nil)
	type args struct {
		Seconds float64 `json:"seconds" jsonschema:"how long to sleep"`
	}
	mcp.AddTool(srv, &mcp.Tool{Name: "sleep", Description: "Sleeps until cancelled."}, func(ctx context.Context, _ *mcp.CallToolRequest, _ args) (*mcp.CallToolResult, any, error) {
		started <- struct{}{}
		select {
		case <-ctx.Done():
			cancelled <- ctx.Err()
			return nil, nil, ctx.Err()
		case <-testDone:
			return nil, nil, errors.New("the test ended")
		}
	})
	ts := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
	t.Cleanup(ts.Close)
	t.Cleanup(func() { close(testDone) }) // before ts.Close, which waits for the calls
	return ts.URL + "/mcp", started, cancelled
}

func TestInterruptCancelsTheRunningTool(t *testing.T) {
	url, started, cancelled := blockingSleep(t)
	term := startSession(t, "-mcpservers", url)
	term.waitFor(`^cliGCP · gemini-2.5-flash on the offline model .* tools: sleep `)

	term.typeLine("sleep for 30 seconds")
	term.waitFor(`^→ sleep \{"seconds":30\}$`)
	<-started
	term.interrupts <- os.Interrupt
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Errorf("the tool's context ended with %v, want context.Canceled", err)
	}
	term.waitFor(`^✗ sleep .* error$`)
	term.waitFor(`^\(interrupted: what was said so far is kept\)$`)

	// The session goes on: the next prompt is answered, with the
	// interrupted call and its result in the history sent.
	term.typeLine("hello")
	term.waitFor(`Hello! I am the \*\*offline model\*\*`)
	if code := term.exit(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestInterruptAtThePromptFromAPipeEnds(t *testing.T) {
	term := startSession(t)
	term.waitFor(`^cliGCP · `)
	term.interrupts <- os.Interrupt
	if code := <-term.done; code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestInterrupts(t *testing.T) {
	for _, tc := range []struct {
		name        string
		turn, tty   bool
		n           int
		cancelled   bool // the turn
		quit        bool // the session
		noteMatches string
	}{
		{name: "one during a turn stops it", turn: true, n: 1, cancelled: true, noteMatches: `\^C: stopping the answer and its tools`},
		{name: "two during a turn end the session", turn: true, n: 2, cancelled: true, quit: true},
		{name: "one at a terminal's prompt asks for another", tty: true, n: 1, noteMatches: `Ctrl-C again or Ctrl-D to exit`},
		{name: "two at a terminal's prompt end the session", tty: true, n: 2, quit: true},
		{name: "one at a pipe's prompt ends the session", n: 1, quit: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			var cancelled, quit bool
			s := &session{inTTY: tc.tty, view: &view{out: &out, tools: &out}, quit: func() { quit = true }}
			if tc.turn {
				s.cancelTurn = func() { cancelled = true }
			}
			for range tc.n {
				s.interrupt()
			}
			if cancelled != tc.cancelled || quit != tc.quit {
				t.Errorf("turn cancelled %v, session ended %v; want %v, %v", cancelled, quit, tc.cancelled, tc.quit)
			}
			if tc.noteMatches != "" && !regexp.MustCompile(tc.noteMatches).MatchString(out.String()) {
				t.Errorf("the session said %q, want a match for %q", out.String(), tc.noteMatches)
			}
		})
	}
}
