package conform

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// A link carries frames between the checker and one server connection. It
// is deliberately raw: the checks must see exactly what the server sent.
type link interface {
	// send writes one frame (a message, a batch or garbage).
	send(ctx context.Context, data []byte) error
	// frames delivers every frame the server sends; it is closed when the
	// server's output ends.
	frames() <-chan []byte
	// close ends the connection and releases its resources.
	close() error
}

// stdioLink runs a command and speaks newline-delimited frames over its
// stdin and stdout.
type stdioLink struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	in     chan []byte
	exited chan struct{} // closed when the process has exited
	grace  time.Duration

	mu      sync.Mutex
	closing bool
}

func startStdio(command []string, env []string, dir string, stderr io.Writer, grace time.Duration) (*stdioLink, error) {
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = dir
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", command[0], err)
	}
	l := &stdioLink{cmd: cmd, stdin: stdin, in: make(chan []byte, 64), exited: make(chan struct{}), grace: grace}
	go l.read(stdout)
	return l, nil
}

func (l *stdioLink) read(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64*1024), 64<<20)
	for sc.Scan() {
		l.in <- append([]byte(nil), sc.Bytes()...)
	}
	close(l.in)
	l.cmd.Wait()
	close(l.exited)
}

func (l *stdioLink) send(ctx context.Context, data []byte) error {
	done := make(chan error, 1)
	go func() {
		_, err := l.stdin.Write(append(data, '\n'))
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("writing to the server: %w", ctx.Err())
	}
}

func (l *stdioLink) frames() <-chan []byte { return l.in }

// closeInput closes the server's stdin, the stdio way to ask it to exit.
func (l *stdioLink) closeInput() error { return l.stdin.Close() }

// waitExit waits for the process to exit, up to d.
func (l *stdioLink) waitExit(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-l.exited:
		return true
	case <-t.C:
		return false
	}
}

// close closes stdin, waits for the process a little, then kills it. Its
// output is drained so that the reader finishes.
func (l *stdioLink) close() error {
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return nil
	}
	l.closing = true
	l.mu.Unlock()
	l.stdin.Close()
	go func() {
		for range l.in {
		}
	}()
	if l.waitExit(l.grace) {
		return nil
	}
	if err := l.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	l.waitExit(l.grace)
	return nil
}
