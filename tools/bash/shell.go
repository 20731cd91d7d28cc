package bash

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// A shell is one long-lived bash process that runs commands one at a time
// and keeps its state (working directory, variables) between them.
//
// Its stdout and stderr share one pipe, so that output comes back
// interleaved as a terminal would show it. Each command is sent on stdin
// followed by a line that prints an end marker with the exit status and
// the working directory; the marker holds a random part, so that no output
// can fake it.
//
// A shell is not safe for concurrent use.
type shell struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	out     *os.File      // read end of the output pipe
	chunks  chan []byte   // output as read; closed when the pipe ends
	done    chan struct{} // closed by kill, to stop the reader
	marker  string        // random, unique to this shell
	seq     int           // commands run, numbers each end marker
	pending []byte        // output read after the last end marker
	group   *group        // the processes the shell started
	killed  sync.Once
	victims int           // processes killed, set by kill
	failed  []int         // pids kill could not signal
	over    atomic.Bool   // killed for passing the process limit
	waited  chan struct{} // closed once the shell has exited and is reaped
	waitErr error         // from cmd.Wait, set before waited is closed
}

// startShell starts bin (bash) in dir with env, its processes tracked by
// tr.
func startShell(tr *tracker, bin, dir string, env []string) (*shell, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("starting the shell: %w", err)
	}
	cmd := exec.Command(bin, "--noprofile", "--norc")
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = w
	cmd.Stderr = w
	stdin, err := cmd.StdinPipe()
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("starting the shell: %w", err)
	}
	sh := &shell{
		cmd:    cmd,
		stdin:  stdin,
		out:    r,
		chunks: make(chan []byte),
		done:   make(chan struct{}),
		marker: randomHex(),
		waited: make(chan struct{}),
	}
	sh.group = tr.newGroup(func() {
		sh.over.Store(true)
		sh.kill()
	})
	if err := sh.group.start(cmd); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	w.Close() // the shell and its children hold the write end now
	go sh.read()
	go func() {
		sh.waitErr = cmd.Wait()
		sh.group.release()
		close(sh.waited)
	}()
	return sh, nil
}

// randomHex returns 24 random hex digits.
func randomHex() string {
	random := make([]byte, 12)
	rand.Read(random)
	return hex.EncodeToString(random)
}

func (sh *shell) read() {
	defer close(sh.chunks)
	for {
		buf := make([]byte, 32<<10)
		n, err := sh.out.Read(buf)
		if n > 0 {
			select {
			case sh.chunks <- buf[:n]:
			case <-sh.done:
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// pid returns the shell's process id, which is also its process group.
func (sh *shell) pid() int { return sh.cmd.Process.Pid }

// cwd returns the shell's working directory while a command runs, where
// the system tells it (Linux's /proc).
func (sh *shell) cwd() (string, bool) {
	dir, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", sh.pid()))
	return dir, err == nil
}

// kill kills the shell and every process it started: the command it runs
// and whatever that started in the background, even what left the
// process group (setsid) or its parent (a double fork). It may be called
// more than once, and while run runs, which then returns as if the shell
// exited. When it returns, the shell is reaped and victims and failed are
// set.
func (sh *shell) kill() {
	sh.killed.Do(func() {
		sh.victims, sh.failed = sh.group.kill()
		sh.stdin.Close()
		close(sh.done)
		// A process that could not be killed may hold the pipe open;
		// closing our end stops the reader all the same.
		sh.out.Close()
	})
	<-sh.waited
}

// outcome is how a command ended.
type outcome int

const (
	finished  outcome = iota // the end marker came: status and dir are set
	exited                   // the shell itself exited (exit, exec): status is set
	timedOut                 // the timeout expired
	cancelled                // ctx was cancelled
	overLimit                // the shell was killed for running too many processes
)

func (o outcome) String() string {
	switch o {
	case finished:
		return "finished"
	case exited:
		return "shell exited"
	case timedOut:
		return "timed out"
	case cancelled:
		return "cancelled"
	case overLimit:
		return "over the process limit"
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// result is what running a command gave.
type result struct {
	outcome outcome
	output  string // capped to the limit given to run
	status  int
	dir     string // working directory after the command, when finished
}

// markerWindow is how many bytes at the end of the output are kept when the
// middle of a long output is dropped: enough for the end marker line, which
// holds the working directory.
const markerWindow = 16 << 10

// run runs command and waits for its end, the timeout or ctx. Its output
// is capped to limit characters (zero or less: no limit), with a note
// saying what was cut and hint.
//
// After any outcome but finished, the shell is unusable: the caller kills
// it and starts another.
func (sh *shell) run(ctx context.Context, command string, timeout time.Duration, limit int, hint string) (result, error) {
	sh.seq++
	// The marker is printed from two parts, so that a trace of the script
	// (set -x, set -v) does not show it whole.
	head, tail := "__gomcptest_end_", sh.marker+"_"+strconv.Itoa(sh.seq)+"__"
	token := []byte(head + tail)
	script := "eval " + quote(command) + " </dev/null\n" +
		"printf '%s%s %d %s\\n' " + quote(head) + " " + quote(tail) + ` "$?" "$PWD"` + "\n"
	if _, err := io.WriteString(sh.stdin, script); err != nil {
		return sh.exit(nil, limit, hint), nil
	}

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	c := collector{keep: 4 * limit}
	if limit <= 0 {
		c.keep = -1
	}
	c.write(sh.pending)
	sh.pending = nil
	for {
		if i := bytes.Index(c.buf, token); i >= 0 {
			if nl := bytes.IndexByte(c.buf[i:], '\n'); nl >= 0 {
				line := string(c.buf[i+len(token) : i+nl])
				sh.pending = append([]byte(nil), c.buf[i+nl+1:]...)
				c.buf = c.buf[:i]
				status, dir, _ := strings.Cut(strings.TrimPrefix(line, " "), " ")
				n, _ := strconv.Atoi(status)
				return result{outcome: finished, output: c.text(limit, hint), status: n, dir: dir}, nil
			}
		} else {
			c.trim(len(token))
		}
		select {
		case chunk, ok := <-sh.chunks:
			if !ok {
				return sh.exit(&c, limit, hint), nil
			}
			c.write(chunk)
		case <-timer.C:
			return result{outcome: timedOut, output: c.text(limit, hint), status: -1}, nil
		case <-ctx.Done():
			return result{outcome: cancelled, output: c.text(limit, hint), status: -1}, ctx.Err()
		}
	}
}

// exit reports the shell's own exit, with the output c collected.
func (sh *shell) exit(c *collector, limit int, hint string) result {
	<-sh.waited
	status := 0
	var exitErr *exec.ExitError
	if errors.As(sh.waitErr, &exitErr) {
		status = exitErr.ExitCode()
	}
	r := result{outcome: exited, status: status}
	if sh.over.Load() {
		r = result{outcome: overLimit, status: -1}
	}
	if c != nil {
		r.output = c.text(limit, hint)
	}
	return r
}

// quote quotes s for bash, as one word, whatever it holds.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// collector gathers a command's output, keeping at most keep bytes of its
// start (negative: all of it) and the last bytes, where the end marker is
// looked for, and counting the characters dropped in between.
type collector struct {
	buf     []byte
	keep    int
	dropped int
}

func (c *collector) write(p []byte) { c.buf = append(c.buf, p...) }

// trim drops the middle of a long output, keeping at least the last
// markerWindow bytes, more than a partial marker of length n.
func (c *collector) trim(n int) {
	window := max(markerWindow, n)
	if c.keep < 0 || len(c.buf) <= c.keep+2*window {
		return
	}
	cut := len(c.buf) - window
	c.dropped += utf8.RuneCount(c.buf[c.keep:cut])
	c.buf = append(c.buf[:c.keep], c.buf[cut:]...)
}

// text returns the output, capped to limit characters with a note.
func (c *collector) text(limit int, hint string) string {
	text := strings.ToValidUTF8(string(c.buf), "\uFFFD")
	total := utf8.RuneCountInString(text) + c.dropped
	if limit <= 0 || total <= limit {
		return text
	}
	cut := 0
	for range limit {
		_, size := utf8.DecodeRuneInString(text[cut:])
		cut += size
	}
	sep := "\n"
	if cut > 0 && text[cut-1] == '\n' {
		sep = ""
	}
	return fmt.Sprintf("%s%s[output truncated: showed the first %d of %d characters; %s]", text[:cut], sep, limit, total, hint)
}
