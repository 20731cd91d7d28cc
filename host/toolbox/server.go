package toolbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// stderrTail is how many stderr lines a start error quotes.
const stderrTail = 20

// A server is one MCP server of the toolbox and its current connection,
// which it replaces when the server dies.
type server struct {
	name         string
	spec         ServerSpec
	client       *mcp.Client
	httpClient   *http.Client
	log          *slog.Logger
	startTimeout time.Duration
	env          []string // of a stdio server's process
	stderrLimit  *bucket  // shared by the server's processes

	// lock is held while connecting; a channel so that a waiting call can
	// give up when its context ends.
	lock chan struct{}
	wg   sync.WaitGroup // watchers of sessions

	mu         sync.Mutex
	cur        *session // nil when not connected
	closed     bool
	restarting bool   // a restart is under way
	restarts   int    // restarts begun
	lastErr    string // of the last failed restart
}

// A session is one connection to a server (one process, for stdio).
type session struct {
	*mcp.ClientSession
	done chan struct{} // closed when the connection has ended
}

func (c *session) ended() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// session returns the live session, connecting first if there is none.
func (s *server) session(ctx context.Context) (*session, error) {
	s.mu.Lock()
	c, closed := s.cur, s.closed
	s.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	if c != nil && !c.ended() {
		return c, nil
	}
	select {
	case s.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	defer func() { <-s.lock }()
	s.mu.Lock()
	c, closed = s.cur, s.closed
	s.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	if c != nil && !c.ended() {
		return c, nil // someone else restarted it meanwhile
	}
	s.log.Info("restarting server")
	s.mu.Lock()
	s.restarting = true
	s.restarts++
	s.mu.Unlock()
	c, err := s.start(ctx)
	s.mu.Lock()
	s.restarting = false
	if err != nil {
		s.lastErr = err.Error()
	} else {
		s.lastErr = ""
	}
	s.mu.Unlock()
	if err != nil {
		s.log.Warn("restarting server", "error", err)
		return nil, err
	}
	if !s.adopt(c) {
		return nil, ErrClosed
	}
	s.log.Info("server restarted")
	return c, nil
}

// status reports the server's state.
func (s *server) status() ServerStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := ServerStatus{Name: s.name, Restarts: s.restarts, Error: s.lastErr}
	switch {
	case s.cur != nil && !s.cur.ended():
		st.State = StateRunning
	case s.restarting:
		st.State = StateRestarting
	case s.closed:
		st.State = StateClosed
	default:
		st.State = StateFailed
	}
	return st
}

// adopt makes c the current session, unless the server is closed.
func (s *server) adopt(c *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return false
	}
	s.cur = c
	return true
}

// forget makes the next call reconnect, unless c is no longer current.
func (s *server) forget(c *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == c {
		s.cur = nil
	}
}

// start runs or dials the server and completes the MCP handshake.
func (s *server) start(ctx context.Context) (*session, error) {
	ctx, cancel := context.WithTimeout(ctx, s.startTimeout)
	defer cancel()
	var (
		t      mcp.Transport
		cmd    *exec.Cmd
		stderr *lineLog
	)
	if s.spec.URL != "" {
		t = &mcp.StreamableClientTransport{Endpoint: s.spec.URL, HTTPClient: s.httpClient}
	} else {
		cmd = exec.Command(s.spec.Command, s.spec.Args...)
		// Never nil, which would hand the server the host's whole
		// environment, keys included.
		cmd.Env = append([]string{}, s.env...)
		stderr = newLineLog(s.log, stderrTail, s.stderrLimit)
		cmd.Stderr = stderr
		t = &mcp.CommandTransport{Command: cmd}
	}
	cs, err := s.client.Connect(ctx, t, nil)
	if err != nil {
		if cmd != nil && cmd.Process != nil {
			// The SDK closes the session on a failed handshake; this
			// makes sure the process is gone and its stderr read.
			cmd.Process.Kill()
			cmd.Wait()
		}
		return nil, s.startError(err, stderr)
	}
	c := &session{ClientSession: cs, done: make(chan struct{})}
	s.wg.Go(func() {
		cs.Wait()
		if stderr != nil {
			stderr.Flush()
		}
		close(c.done)
		s.mu.Lock()
		unexpected := s.cur == c
		if unexpected {
			s.cur = nil
		}
		s.mu.Unlock()
		if unexpected {
			s.log.Warn("server exited; it will be restarted on the next call")
		}
	})
	return c, nil
}

func (s *server) startError(err error, stderr *lineLog) error {
	where := s.spec.URL
	if where == "" {
		where = s.spec.Command
	}
	err = fmt.Errorf("starting server %q (%s): %w", s.name, where, err)
	if stderr == nil {
		return err
	}
	stderr.Flush()
	tail := stderr.Tail()
	if len(tail) == 0 {
		return fmt.Errorf("%w (no stderr output)", err)
	}
	return fmt.Errorf("%w; last lines of its stderr:\n\t%s", err, strings.Join(tail, "\n\t"))
}

// list returns all the tools of c, page after page.
func (s *server) list(ctx context.Context, c *session) ([]*mcp.Tool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.startTimeout)
	defer cancel()
	var tools []*mcp.Tool
	for tool, err := range c.Tools(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("listing tools of server %q: %w", s.name, err)
		}
		tools = append(tools, tool)
	}
	return tools, nil
}

// died reports whether err, returned by a call on c, means the server is
// gone rather than that the call failed.
func died(c *session, err error) bool {
	return c.ended() ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, mcp.ErrConnectionClosed) ||
		errors.Is(err, mcp.ErrSessionMissing)
}

// close stops the server for good and waits for its process to exit.
func (s *server) close() error {
	// Taking the lock waits for a restart under way, so that no session
	// is started after this.
	s.lock <- struct{}{}
	defer func() { <-s.lock }()
	s.mu.Lock()
	c := s.cur
	s.cur, s.closed = nil, true
	s.mu.Unlock()
	var err error
	if c != nil {
		err = c.Close()
	}
	s.wg.Wait()
	if err != nil {
		return fmt.Errorf("closing server %q: %w", s.name, err)
	}
	return nil
}

// withBearer returns a client that sends token as a bearer token on every
// request, as a tool served with -auth-token expects. c may be nil.
func withBearer(c *http.Client, token string) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	rt := c.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	cc := *c
	cc.Transport = bearer{rt, "Bearer " + token}
	return &cc
}

type bearer struct {
	next http.RoundTripper
	auth string
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", b.auth)
	return b.next.RoundTrip(r)
}
