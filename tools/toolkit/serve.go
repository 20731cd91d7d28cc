package toolkit

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Path is where [Handler] serves MCP.
const Path = "/mcp"

// shutdownGrace bounds how long a stopping HTTP server waits for open
// requests (a tool call in flight, an SSE stream) before closing them.
const shutdownGrace = 5 * time.Second

// ServeStdio serves s on one session over in and out, newline-delimited
// JSON-RPC, until in reaches EOF or ctx is cancelled. It never closes out:
// the caller owns it (it is usually os.Stdout).
//
// A line that is not JSON gets a -32700 parse error and the session goes
// on, as JSON-RPC asks, and a cancelled request gets no answer, as MCP
// asks; the go-sdk alone would end the session, and answer.
func ServeStdio(ctx context.Context, s *mcp.Server, in io.Reader, out io.Writer) error {
	w := &lockedWriter{w: out}
	pr, pw := io.Pipe()
	defer pr.Close() // stops the forwarder at its next line
	go func() { pw.CloseWithError(forwardJSON(in, pw, w)) }()
	t := withoutCancelledAnswers{&mcp.IOTransport{Reader: pr, Writer: nopCloser{w}}}
	err := s.Run(ctx, t)
	if errors.Is(err, mcp.ErrConnectionClosed) || errors.Is(err, io.EOF) {
		return nil // the client hung up: the normal end of a stdio server
	}
	return err
}

// parseError is the answer to a line that is not JSON.
const parseError = `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: the line is not valid JSON"}}` + "\n"

// forwardJSON copies the JSON lines of in to the session and answers the
// others with a parse error on out. It returns nil at the end of in.
func forwardJSON(in io.Reader, session io.Writer, out io.Writer) error {
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadBytes('\n')
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			target, data := session, line
			if !json.Valid(trimmed) {
				target, data = out, []byte(parseError)
			}
			if _, werr := target.Write(data); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// lockedWriter serialises whole writes: the session and the parse errors
// share stdout, and each writes one message per Write.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// Defaults of the -http flags that bound what clients may hold.
const (
	// DefaultMaxSessions is the -max-sessions default: room for a team's
	// hosts and a few people testing, too little for abandoned sessions
	// (a Bash shell each) to pile up.
	DefaultMaxSessions = 32
	// DefaultSessionIdle is the -session-idle default.
	DefaultSessionIdle = 10 * time.Minute
)

// HTTPOptions configures [Handler] and [Serve]. The zero value, like a nil
// *HTTPOptions, asks for no token and sets no session cap nor idle
// timeout: [Run] fills it from the flags, whose defaults are
// [DefaultMaxSessions] and [DefaultSessionIdle].
type HTTPOptions struct {
	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
	// Routes serves the paths other than [Path], the program's own
	// handlers (see [Config.Routes]); nil answers them 404.
	Routes *http.ServeMux
	// AuthToken, when not empty, is the bearer token every request must
	// carry ("Authorization: Bearer TOKEN"), to [Path] and to Routes
	// alike; a request without it gets 401.
	AuthToken string
	// MaxSessions caps the live MCP sessions: past it, a request to open
	// one more gets 503 until one ends. Zero means no cap.
	MaxSessions int
	// SessionIdle ends a session that received no request for that long,
	// so that its tools release what they hold for it. Zero means never.
	SessionIdle time.Duration
}

// Handler returns the streamable HTTP handler for s at [Path], with one
// session per client, protected against DNS rebinding: the SDK refuses a
// request that reached a loopback address with a foreign Host, and a
// browser's cross-origin POST (foreign Origin or Sec-Fetch-Site) is refused
// here. Other paths go to opts.Routes. A session ends when its client
// deletes it, after opts.SessionIdle without a request, or when [Serve]
// stops; a tool learns of it through [mcp.ServerSession.Wait].
func Handler(s *mcp.Server, opts *HTTPOptions) http.Handler {
	if opts == nil {
		opts = &HTTPOptions{}
	}
	logger := cmp.Or(opts.Logger, slog.New(slog.DiscardHandler))
	var sessions http.Handler = mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s },
		&mcp.StreamableHTTPOptions{
			Logger: slog.New(sdkHandler{logger.Handler()}),
			// Clients that vanish without a DELETE would otherwise keep
			// their session (and a tool's per-session state) forever.
			SessionTimeout: opts.SessionIdle,
		})
	if opts.MaxSessions > 0 {
		sessions = &sessionCap{server: s, next: sessions, logger: logger, max: opts.MaxSessions, live: make(map[string]bool)}
	}
	mux := http.NewServeMux()
	mux.Handle(Path, http.NewCrossOriginProtection().Handler(sessions))
	if opts.Routes != nil {
		mux.Handle("/", opts.Routes)
	}
	if opts.AuthToken == "" {
		return mux
	}
	return requireToken(opts.AuthToken, mux)
}

// Error codes of the JSON-RPC errors this package answers with, in the
// range JSON-RPC leaves to servers.
const (
	codeUnauthorized    = -32001
	codeTooManySessions = -32002
)

// requireToken answers 401 to a request without "Authorization: Bearer
// token". It compares digests, so the time it takes says nothing about how
// much of the token a guess got right, nor about its length.
func requireToken(token string, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		scheme, got, _ := strings.Cut(header, " ")
		sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
		if strings.EqualFold(scheme, "Bearer") && subtle.ConstantTimeCompare(sum[:], want[:]) == 1 {
			next.ServeHTTP(w, r)
			return
		}
		challenge := `Bearer realm="mcp"`
		if header != "" {
			challenge += `, error="invalid_token"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
		refuse(w, r, http.StatusUnauthorized, codeUnauthorized,
			"unauthorized: this server needs the bearer token it was started with (-auth-token or MCP_AUTH_TOKEN), sent as Authorization: Bearer TOKEN")
	})
}

// maxPeek is how much of a request's body this package reads before the
// SDK does, to find a refused request's id or whether it opens a session;
// the request is not trusted yet, so this stays small.
const maxPeek = 64 << 10

// refuse answers r with status and msg. A POST carries a JSON-RPC message:
// it gets a JSON-RPC error with the request's id, since that is what MCP
// clients show their users (the go-sdk drops an error whose id is null).
func refuse(w http.ResponseWriter, r *http.Request, status int, code int64, msg string) {
	if r.Method != http.MethodPost {
		http.Error(w, msg, status)
		return
	}
	var id jsonrpc.ID
	if data, err := io.ReadAll(io.LimitReader(r.Body, maxPeek)); err == nil {
		if req, ok := decodeRequest(data); ok {
			id = req.ID
		}
	}
	body, err := jsonrpc.EncodeMessage(&jsonrpc.Response{ID: id, Error: &jsonrpc.Error{Code: code, Message: msg}})
	if err != nil {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

func decodeRequest(data []byte) (*jsonrpc.Request, bool) {
	msg, err := jsonrpc.DecodeMessage(data)
	if err != nil {
		return nil, false
	}
	req, ok := msg.(*jsonrpc.Request)
	return req, ok
}

// sessionIDHeader names the session a request belongs to (streamable HTTP).
const sessionIDHeader = "Mcp-Session-Id"

// A sessionCap admits a request that opens an MCP session only while
// fewer than max are live. A place is taken by an initialize request, the
// only one with which the SDK opens a session that lasts, and held until
// the session ends, or until the request is answered if it opened none.
//
// Requests of the stateless 2026-07-28 revision hold no place: a stateful
// server answers only its server/discover (with a session closed at once)
// and refuses the rest, so they run no tool and leave no state.
type sessionCap struct {
	server *mcp.Server
	next   http.Handler
	logger *slog.Logger
	max    int

	mu     sync.Mutex
	taken  int             // places taken: live sessions and initialize requests
	live   map[string]bool // the sessions holding a place, by id
	warned bool            // the cap was logged since it was last reached
}

func (c *sessionCap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get(sessionIDHeader)
	switch {
	case r.Method == http.MethodPost && id == "":
		c.open(w, r)
	case r.Method == http.MethodDelete && id != "":
		// The SDK answers 204 once the session is closed: free its place
		// before the client hears so, so that it can open another at once.
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		c.next.ServeHTTP(rec, r)
		if rec.status == http.StatusNoContent {
			c.release(id)
		}
	default:
		c.next.ServeHTTP(w, r)
	}
}

// open serves a POST without a session id, which may open a session.
func (c *sessionCap) open(w http.ResponseWriter, r *http.Request) {
	counted := isInitialize(r)
	if counted && !c.take() {
		// The go-sdk client shows only "Service Unavailable"; other
		// clients and curl show this.
		refuse(w, r, http.StatusServiceUnavailable, codeTooManySessions, fmt.Sprintf(
			"too many sessions: this server keeps at most %d live (-max-sessions); close one (DELETE), wait until an idle one expires (-session-idle), or restart the server with a larger -max-sessions", c.max))
		return
	}
	c.next.ServeHTTP(w, r)
	if !counted {
		return
	}
	id := w.Header().Get(sessionIDHeader)
	ss := c.find(id)
	if ss == nil {
		c.mu.Lock()
		c.free()
		c.mu.Unlock()
		return
	}
	c.mu.Lock()
	c.live[id] = true
	c.mu.Unlock()
	// However the session ends (DELETE, idle timeout, shutdown), Wait
	// returns; after a DELETE the place is already free and release does
	// nothing.
	go func() {
		ss.Wait()
		c.release(id)
	}()
}

// take takes a place if one is free, and logs when none is.
func (c *sessionCap) take() bool {
	c.mu.Lock()
	full := c.taken >= c.max
	if !full {
		c.taken++
	}
	// One line each time the cap is reached, not one per refusal: a client
	// that retries in a loop must not flood the log.
	warn := full && !c.warned
	c.warned = c.warned || full
	c.mu.Unlock()
	if warn {
		c.logger.Warn("refusing new MCP sessions: the cap on live sessions is reached; raise it with -max-sessions", "max-sessions", c.max)
	}
	return !full
}

// isInitialize reports whether the body of r may hold an initialize
// request, and leaves the body whole for the SDK. It decodes a message as
// the SDK does; a batch, or a body too long or too broken to tell, counts
// as an initialize, so that no session gets past the cap unseen.
func isInitialize(r *http.Request) bool {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxPeek+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(data), r.Body), r.Body}
	if err != nil || len(data) > maxPeek {
		return true
	}
	msg, err := jsonrpc.DecodeMessage(data)
	if err != nil {
		return true
	}
	req, ok := msg.(*jsonrpc.Request)
	return ok && req.Method == "initialize"
}

// find returns the live session with that id, or nil.
func (c *sessionCap) find(id string) *mcp.ServerSession {
	if id == "" {
		return nil
	}
	for ss := range c.server.Sessions() {
		if ss.ID() == id {
			return ss
		}
	}
	return nil
}

// release frees the place of session id, once.
func (c *sessionCap) release(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live[id] {
		delete(c.live, id)
		c.free()
	}
}

// free gives a place back; c.mu is held.
func (c *sessionCap) free() {
	c.taken--
	c.warned = false
}

// statusRecorder remembers the status of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// listen listens on addr, for [Serve].
func listen(ctx context.Context, addr string) (net.Listener, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves s with [Handler] on ln until ctx is cancelled, then shuts
// down: it ends every session, so that tools release their state, and
// gives open requests a few seconds to finish. It closes ln. It logs the
// URL it serves, so that with port 0 the caller learns the port, and warns
// when ln is reachable beyond this machine without a token.
func Serve(ctx context.Context, ln net.Listener, s *mcp.Server, opts *HTTPOptions) error {
	if opts == nil {
		opts = &HTTPOptions{}
	}
	logger := cmp.Or(opts.Logger, slog.New(slog.DiscardHandler))
	logger.Info("serving MCP over streamable HTTP", "url", "http://"+ln.Addr().String()+Path)
	warnExposed(logger, ln.Addr().String(), opts.AuthToken)
	srv := &http.Server{
		Handler:           Handler(s, opts),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(shutCtx) }()
	// Ending the sessions also ends their SSE streams, which Shutdown would
	// otherwise wait for until the grace period is over.
	ended := endSessions(s)
	if err := <-shut; err != nil {
		srv.Close()
	}
	// A request in flight during the first pass may have opened a session.
	late := endSessions(s)
	for _, c := range []<-chan struct{}{ended, late} {
		select {
		case <-c:
		case <-shutCtx.Done():
		}
	}
	<-done
	return ctx.Err()
}

// endSessions closes every session of s at once, and returns a channel
// closed when all are closed. A session closes once its calls in flight
// return.
func endSessions(s *mcp.Server) <-chan struct{} {
	var wg sync.WaitGroup
	for ss := range s.Sessions() {
		wg.Go(func() { ss.Close() })
	}
	ended := make(chan struct{})
	go func() {
		wg.Wait()
		close(ended)
	}()
	return ended
}

// warnExposed warns when a server at addr, the address it listens on, can
// be reached from other machines while it asks for no token: anyone who
// reaches it can call its tools.
func warnExposed(logger *slog.Logger, addr, token string) {
	if token != "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err == nil && ip != nil && ip.IsLoopback() {
		return
	}
	logger.Warn("serving beyond loopback without a token: anyone who can reach this address can call the tools; set MCP_AUTH_TOKEN (or -auth-token), or listen on 127.0.0.1", "addr", addr)
}
