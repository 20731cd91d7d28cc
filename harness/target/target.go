// Package target connects an MCP client to a server under test: a command
// run over stdio, a streamable HTTP endpoint, or, inside a Go test, a
// server built in process ([Server]) or an http.Handler ([Handler]). It
// is what the harness's commands (mcptest list, call, ...) and the
// conformance checker share to reach the server they drive.
package target

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A Target says how to reach an MCP server: exactly one of Command, URL,
// NewServer and Handler is set.
type Target struct {
	// Command is the program and its arguments, run with stdin and stdout
	// carrying the protocol.
	Command []string
	// Env holds KEY=VALUE pairs added to the current environment of
	// Command; a key given twice takes the last value.
	Env []string
	// Dir is the working directory of Command; empty means the current one.
	Dir string
	// Stderr receives the stderr of Command; nil discards it.
	Stderr io.Writer

	// URL is the streamable HTTP endpoint, e.g. http://127.0.0.1:8081/mcp.
	URL string
	// AuthToken, when not empty, is sent to URL on every request as
	// "Authorization: Bearer AuthToken".
	AuthToken string

	// NewServer builds a server in process. Every connection gets a fresh
	// one, joined to the client by an in-memory byte pipe that carries
	// newline-delimited JSON-RPC as stdio does, so that the checker's raw
	// probes reach it unchanged. See [Server].
	NewServer func() *mcp.Server
	// Handler is a streamable HTTP handler served in process on a
	// loopback port, at its root, for as long as a connection lasts. See
	// [Handler].
	Handler http.Handler
}

// Server returns the target of a server built in process by newServer,
// once per connection.
func Server(newServer func() *mcp.Server) Target { return Target{NewServer: newServer} }

// Handler returns the target of a streamable HTTP handler, served with
// httptest on 127.0.0.1 while a connection lasts. The endpoint is the
// root of that server: give the MCP handler itself, not a mux that
// mounts it under a path.
func Handler(h http.Handler) Target { return Target{Handler: h} }

// Validate reports a target that names no server, or two, or sets command
// options on a URL.
func (t Target) Validate() error {
	inProcess := t.NewServer != nil || t.Handler != nil
	switch {
	case len(t.Command) == 0 && t.URL == "" && !inProcess:
		return errors.New("no server: give a command after -- or a URL with --url")
	case len(t.Command) > 0 && t.URL != "":
		return errors.New("two servers: give a command after -- or a URL with --url, not both")
	case t.NewServer != nil && t.Handler != nil, inProcess && (len(t.Command) > 0 || t.URL != ""):
		return errors.New("two servers: set one of Command, URL, NewServer and Handler")
	case inProcess && (len(t.Env) > 0 || t.Dir != "" || t.Stderr != nil || t.AuthToken != ""):
		return errors.New("Env, Dir, Stderr and AuthToken apply to a command or a URL, not to an in-process server")
	case t.URL != "" && (len(t.Env) > 0 || t.Dir != ""):
		return errors.New("--env and --dir apply to a command, not to a URL")
	case t.URL == "" && t.AuthToken != "":
		return errors.New("--auth-token applies to a URL, not to a command")
	case t.URL != "" && !strings.HasPrefix(t.URL, "http://") && !strings.HasPrefix(t.URL, "https://"):
		return fmt.Errorf("URL %q: want http:// or https://", t.URL)
	}
	for _, kv := range t.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return fmt.Errorf("environment variable %q: want KEY=VALUE", kv)
		}
	}
	return nil
}

// String names the target for messages: the URL, or the command line.
func (t Target) String() string {
	switch {
	case t.URL != "":
		return t.URL
	case t.NewServer != nil:
		return "in-process server"
	case t.Handler != nil:
		return "in-process HTTP handler"
	}
	return strings.Join(t.Command, " ")
}

// Transport returns a transport to the target. For a command, the process
// starts when the transport connects and is stopped when the session
// closes: stdin is closed first, then it is signalled if it lingers. An
// in-process server or handler likewise starts on connect and stops when
// the session closes.
func (t Target) Transport() (mcp.Transport, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	switch {
	case t.URL != "":
		return &mcp.StreamableClientTransport{Endpoint: t.URL, HTTPClient: t.HTTPClient()}, nil
	case t.NewServer != nil:
		return inProcess{t.NewServer}, nil
	case t.Handler != nil:
		return served{t.Handler}, nil
	}
	cmd := exec.Command(t.Command[0], t.Command[1:]...)
	cmd.Env = append(os.Environ(), t.Env...)
	cmd.Dir = t.Dir
	cmd.Stderr = t.Stderr
	return &mcp.CommandTransport{Command: cmd}, nil
}

// HTTPClient returns a client for requests to URL: it sends AuthToken
// with each. Checks that probe the endpoint with hand-made requests use it
// to get past the token, as the session does.
func (t Target) HTTPClient() *http.Client {
	if t.AuthToken == "" {
		return &http.Client{}
	}
	return &http.Client{Transport: bearer{token: t.AuthToken, base: http.DefaultTransport}}
}

// inProcess connects to a fresh server over in-memory transports.
type inProcess struct{ newServer func() *mcp.Server }

func (t inProcess) Connect(ctx context.Context) (mcp.Connection, error) {
	st, ct := mcp.NewInMemoryTransports()
	ss, err := t.newServer().Connect(ctx, st, nil)
	if err != nil {
		return nil, fmt.Errorf("connecting the in-process server: %w", err)
	}
	conn, err := ct.Connect(ctx)
	if err != nil {
		ss.Close()
		return nil, err
	}
	return closing{conn, func() { ss.Close() }}, nil
}

// served serves a handler with httptest for the life of one connection.
type served struct{ h http.Handler }

func (t served) Connect(ctx context.Context) (mcp.Connection, error) {
	srv := httptest.NewServer(t.h)
	stop := func() {
		// An event stream the handler keeps open must not hold Close.
		srv.CloseClientConnections()
		srv.Close()
	}
	conn, err := (&mcp.StreamableClientTransport{Endpoint: srv.URL, HTTPClient: srv.Client()}).Connect(ctx)
	if err != nil {
		stop()
		return nil, err
	}
	return closing{conn, stop}, nil
}

// closing is a connection that stops what serves it once it is closed.
type closing struct {
	mcp.Connection
	stop func()
}

func (c closing) Close() error {
	err := c.Connection.Close()
	c.stop()
	return err
}

// bearer adds the Authorization header to every request.
type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	// A RoundTripper must not change the request it was given.
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(req)
}

// Options configures [Connect]. A nil *Options means the defaults.
type Options struct {
	// Client configures the client (handlers for notifications, ...).
	Client *mcp.ClientOptions
	// ProtocolVersion is the version to ask for; empty means the SDK's
	// latest, falling back to older ones as the server requires.
	ProtocolVersion string
}

// Connect starts or dials the target and completes the MCP handshake. The
// caller closes the session, which also stops a command.
func Connect(ctx context.Context, t Target, opts *Options) (*mcp.ClientSession, error) {
	if opts == nil {
		opts = &Options{}
	}
	transport, err := t.Transport()
	if err != nil {
		return nil, err
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "gomcptest", Version: version()}, opts.Client)
	cs, err := client.Connect(ctx, transport, &mcp.ClientSessionOptions{ProtocolVersion: opts.ProtocolVersion})
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", t, err)
	}
	return cs, nil
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
