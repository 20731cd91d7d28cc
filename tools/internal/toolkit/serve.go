package toolkit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Path is where [Handler] serves MCP.
const Path = "/mcp"

// sessionIdle is how long an HTTP session may stay idle before it is closed.
const sessionIdle = time.Hour

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

// Handler returns the streamable HTTP handler for s at [Path], with one
// session per client (closed after an hour idle), and protected against DNS
// rebinding: the SDK refuses a request that reached a loopback address with
// a foreign Host, and a browser's cross-origin POST (foreign Origin or
// Sec-Fetch-Site) is refused here. Other paths go to routes, the program's
// own handlers (see [Config.Routes]), or answer 404 when routes is nil.
func Handler(s *mcp.Server, logger *slog.Logger, routes *http.ServeMux) http.Handler {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s },
		&mcp.StreamableHTTPOptions{
			Logger: slog.New(sdkHandler{logger.Handler()}),
			// Clients that vanish without a DELETE would otherwise keep
			// their session (and a tool's per-session state) forever.
			SessionTimeout: sessionIdle,
		})
	mux := http.NewServeMux()
	mux.Handle(Path, http.NewCrossOriginProtection().Handler(h))
	if routes != nil {
		mux.Handle("/", routes)
	}
	return mux
}

// listen listens on addr, for [Serve].
func listen(ctx context.Context, addr string) (net.Listener, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves s with [Handler] on ln until ctx is cancelled, then shuts
// down, giving open requests a few seconds to finish. It closes ln. It logs
// the URL it serves, so that with port 0 the caller learns the port.
func Serve(ctx context.Context, ln net.Listener, s *mcp.Server, logger *slog.Logger, routes *http.ServeMux) error {
	logger.Info("serving MCP over streamable HTTP", "url", "http://"+ln.Addr().String()+Path)
	srv := &http.Server{
		Handler:           Handler(s, logger, routes),
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
	if err := srv.Shutdown(shutCtx); err != nil {
		srv.Close()
	}
	<-done
	return ctx.Err()
}
