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

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A link carries frames between the checker and one server connection. It
// is deliberately raw: the checks must see exactly what the server sent.
type link interface {
	// send writes one frame (a message, a batch or garbage).
	send(ctx context.Context, data []byte) error
	// frames delivers every frame the server sends; it is closed when the
	// server's output ends.
	frames() <-chan []byte
	// close ends the connection and releases its resources; frames is
	// closed soon after.
	close() error
}

// A cutter is a link that may cut an exchange that took too long; cut
// says why the answer to the request with this id key never came, or "".
type cutter interface {
	cut(idKey string) string
}

// stdioLink speaks newline-delimited frames over a server's stdin and
// stdout: those of a command, or the byte pipes of a server run in
// process, which ends when its stdin closes as a process would.
type stdioLink struct {
	wait   func() error // waits for the server's end, once its stdout has
	kill   func() error // stops a server that outlived its stdin
	clean  string       // how a server that ended without error is said to have
	stdin  io.WriteCloser
	in     chan []byte
	exited chan struct{} // closed when the process has exited
	grace  time.Duration
	stderr *tail
	err    error // how the process exited, once exited is closed

	mu      sync.Mutex
	closing bool
	killed  bool // it outlived its grace period after stdin closed
}

// startStdio starts the command; its stderr goes to stderr, when not nil,
// and its end is kept for the report.
func startStdio(command []string, env []string, dir string, stderr io.Writer, grace time.Duration) (*stdioLink, error) {
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = dir
	kept := newTail(stderrBytes, stderrLines)
	cmd.Stderr = kept
	if stderr != nil {
		cmd.Stderr = io.MultiWriter(stderr, kept)
	}
	// A child left behind may hold stderr open: do not wait for it.
	cmd.WaitDelay = grace
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
	l := &stdioLink{wait: cmd.Wait, kill: cmd.Process.Kill, clean: "exit status 0", stdin: stdin, in: make(chan []byte, 64), exited: make(chan struct{}), grace: grace, stderr: kept}
	go l.read(stdout)
	return l, nil
}

// startInProcess runs a server built by newServer in this process, over
// a pair of byte pipes. Its Run returning is its exit: an error, or a
// panic, is its exit status.
func startInProcess(newServer func() *mcp.Server, grace time.Duration) *stdioLink {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	ended := make(chan error, 1)
	go func() {
		var err error
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("panic: %v", v)
			}
			cancel()
			inR.Close()
			outW.Close()
			ended <- err
		}()
		err = newServer().Run(ctx, &mcp.IOTransport{Reader: inR, Writer: outW})
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
			err = fmt.Errorf("Run returned: %w", err)
		} else {
			err = nil
		}
	}()
	wait := func() error { return <-ended }
	kill := func() error { cancel(); return nil }
	l := &stdioLink{wait: wait, kill: kill, clean: "Run returned nil", stdin: inW, in: make(chan []byte, 64), exited: make(chan struct{}), grace: grace, stderr: newTail(stderrBytes, stderrLines)}
	go l.read(outR)
	return l
}

func (l *stdioLink) read(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64*1024), 64<<20)
	for sc.Scan() {
		l.in <- append([]byte(nil), sc.Bytes()...)
	}
	close(l.in)
	l.err = l.wait()
	close(l.exited)
}

// exitStatus says how the process ended ("exit status 1"), or "" while
// it runs.
func (l *stdioLink) exitStatus() string {
	select {
	case <-l.exited:
	default:
		return ""
	}
	if l.err == nil {
		return l.clean
	}
	return l.err.Error()
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

// outlived reports whether close had to kill the process, which did
// not exit within its grace period after its stdin closed.
func (l *stdioLink) outlived() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.killed
}

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

// close closes stdin, waits for the process a little, then kills it.
func (l *stdioLink) close() error {
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return nil
	}
	l.closing = true
	l.mu.Unlock()
	l.stdin.Close()
	if l.waitExit(l.grace) {
		return nil
	}
	l.mu.Lock()
	l.killed = true
	l.mu.Unlock()
	if err := l.kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	l.waitExit(l.grace)
	return nil
}
