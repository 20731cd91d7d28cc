package transcript

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ServerOptions configure a [Server]. A nil *ServerOptions means the
// defaults.
type ServerOptions struct {
	// Vars gives the values of the transcript's placeholders.
	Vars map[string]string
	// Logger reports each request the transcript cannot answer; nil
	// discards.
	Logger *slog.Logger
}

// A Server plays the server side of a transcript: it answers each client
// request with the response recorded for the same method and parameters
// (ignoring _meta), so a client can be tested against a recorded tool
// without the tool.
//
// The handshake (initialize, server/discover) matches on the method alone,
// since the client's name and capabilities are its own. Equal requests get
// their recorded responses in order, and the last one again once they are
// used up. A ping is always answered. A request the transcript does not
// hold gets a JSON-RPC error that names it: method not found (-32601) for
// a method it never saw, which lets a newer client fall back from
// server/discover to initialize, and invalid params (-32602) otherwise.
// Notifications from the client are ignored; the server sends none.
//
// A Server is safe for concurrent use; each connection has its own
// progress through the transcript.
type Server struct {
	name      string
	exchanges []exchange
	log       *slog.Logger
}

// An exchange is a client request and the server's answer.
type exchange struct {
	method string
	params string // canonical, without _meta
	answer *jsonrpc.Response
}

// NewServer returns a server answering from t.
func NewServer(t *Transcript, opts *ServerOptions) (*Server, error) {
	if opts == nil {
		opts = &ServerOptions{}
	}
	t, err := t.Expand(opts.Vars)
	if err != nil {
		return nil, err
	}
	s := &Server{name: t.Name, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	pairs, err := t.pairs()
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		if p.request.From != ClientSide {
			continue
		}
		params, err := canonicalParams(p.req.Params)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.section(p.request), err)
		}
		s.exchanges = append(s.exchanges, exchange{method: p.req.Method, params: params, answer: p.resp})
	}
	return s, nil
}

// Connect returns a connection to a new session of s, for a client in the
// same process: s is an [mcp.Transport].
func (s *Server) Connect(context.Context) (mcp.Connection, error) {
	return &replayConn{session: s.session(), ready: make(chan struct{}, 1), done: make(chan struct{})}, nil
}

// Serve answers the client on the server transport t (such as
// [mcp.StdioTransport]) until the client goes away, which is a clean end,
// or ctx is cancelled.
func (s *Server) Serve(ctx context.Context, t mcp.Transport) error {
	conn, err := t.Connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	sess := s.session()
	for {
		msg, err := conn.Read(ctx)
		if errors.Is(err, io.EOF) || errors.Is(err, mcp.ErrConnectionClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		req, ok := msg.(*jsonrpc.Request)
		if !ok {
			continue
		}
		if resp := sess.answer(req); resp != nil {
			if err := conn.Write(ctx, resp); err != nil {
				return err
			}
		}
	}
}

// A session is one client's progress through the transcript.
type session struct {
	s    *Server
	mu   sync.Mutex
	used []bool // by exchange
}

func (s *Server) session() *session {
	return &session{s: s, used: make([]bool, len(s.exchanges))}
}

// answer returns the response to req, or nil for a notification.
func (ss *session) answer(req *jsonrpc.Request) *jsonrpc.Response {
	if !req.ID.IsValid() {
		return nil
	}
	params, err := canonicalParams(req.Params)
	if err != nil {
		return &jsonrpc.Response{ID: req.ID, Error: &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: err.Error()}}
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	last, known := -1, false
	for i, e := range ss.s.exchanges {
		if e.method != req.Method {
			continue
		}
		known = true
		if !handshake(e.method) && e.params != params {
			continue
		}
		if !ss.used[i] {
			ss.used[i] = true
			return reply(req.ID, e.answer)
		}
		last = i
	}
	switch {
	case last >= 0:
		return reply(req.ID, ss.s.exchanges[last].answer)
	case req.Method == "ping":
		return &jsonrpc.Response{ID: req.ID, Result: json.RawMessage("{}")}
	case !known:
		msg := fmt.Sprintf("transcript %s holds no %s request", ss.s.name, req.Method)
		ss.s.log.Warn(msg)
		return &jsonrpc.Response{ID: req.ID, Error: &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound, Message: msg}}
	}
	msg := fmt.Sprintf("transcript %s holds no %s request with params %s", ss.s.name, req.Method, shorten(params, 200))
	ss.s.log.Warn(msg)
	return &jsonrpc.Response{ID: req.ID, Error: &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: msg}}
}

// handshake reports whether method opens a session; its parameters say
// who the client is, not what it asks.
func handshake(method string) bool { return method == "initialize" || method == "server/discover" }

// reply is the recorded answer with the client's id.
func reply(id jsonrpc.ID, recorded *jsonrpc.Response) *jsonrpc.Response {
	return &jsonrpc.Response{ID: id, Result: recorded.Result, Error: recorded.Error}
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// replayConn is a client's connection to a session: each request written
// queues its answer for Read.
type replayConn struct {
	session *session

	mu    sync.Mutex
	queue []jsonrpc.Message
	ready chan struct{} // signalled when queue grows
	done  chan struct{} // closed by Close
	once  sync.Once
}

func (c *replayConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	select {
	case <-c.done:
		return mcp.ErrConnectionClosed
	default:
	}
	req, ok := msg.(*jsonrpc.Request)
	if !ok {
		return nil
	}
	if resp := c.session.answer(req); resp != nil {
		c.mu.Lock()
		c.queue = append(c.queue, resp)
		c.mu.Unlock()
		select {
		case c.ready <- struct{}{}:
		default:
		}
	}
	return nil
}

func (c *replayConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	for {
		c.mu.Lock()
		if len(c.queue) > 0 {
			msg := c.queue[0]
			c.queue = c.queue[1:]
			c.mu.Unlock()
			return msg, nil
		}
		c.mu.Unlock()
		select {
		case <-c.ready:
		case <-c.done:
			return nil, mcp.ErrConnectionClosed
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (c *replayConn) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

func (c *replayConn) SessionID() string { return "" }
