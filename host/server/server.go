// Package server is the host's HTTP face: the OpenAI-compatible API
// (/v1/chat/completions, /v1/models, /v1/tools), a health endpoint, and the
// middleware that guards them: an allowed-hosts check against DNS
// rebinding, a strict CORS policy, optional API keys, JSON-only bodies,
// limits on body size, body memory, concurrent requests and connections,
// and read, write and idle timeouts.
//
// A chat request is decoded and validated, turned into an llm.Request with
// the tools the model string selects, and run by the agent; its events are
// rendered as SSE chunks or aggregated into one JSON answer.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// Toolbox is the host's set of MCP tools. *toolbox.Toolbox implements it.
type Toolbox interface {
	Tools() []toolbox.Tool
	Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error)
}

// DefaultMaxBodyBytes is the request body limit when Options.MaxBodyBytes is
// zero. It leaves room for a few attached images or PDFs as data URLs.
const DefaultMaxBodyBytes = 32 << 20

// Defaults of the limits in Options.
const (
	// DefaultMaxBodyMemory is the memory all request bodies being served
	// may hold at once. A body costs several times its size while its
	// request runs (decoded, converted, encoded for the model), so this is
	// a few bodies of the largest size.
	DefaultMaxBodyMemory = 4 * DefaultMaxBodyBytes
	// DefaultMaxConcurrent is the number of chat completions served at once.
	DefaultMaxConcurrent = 64
	// DefaultMaxConnections is the number of open client connections.
	DefaultMaxConnections = 4096
	// DefaultReadTimeout bounds reading a request, headers and body.
	DefaultReadTimeout = time.Minute
	// DefaultWriteTimeout bounds each write of a response: a whole JSON
	// answer, or one frame of a stream.
	DefaultWriteTimeout = time.Minute
	// DefaultIdleTimeout is how long a keep-alive connection may wait for
	// its next request.
	DefaultIdleTimeout = 2 * time.Minute
)

// ToolEventsHeader is the request header that turns tool events on for one
// request ("true" or "1"), whatever the server's default. The AgentFlow UI
// always sends it.
const ToolEventsHeader = "X-Tool-Events"

// Options configure a Server. Nil or zero fields take their defaults.
type Options struct {
	Logger *slog.Logger
	// Toolbox runs the host's tools; nil means none.
	Toolbox Toolbox
	// MaxBodyBytes limits request bodies (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// MaxBodyMemory limits the bytes of all the request bodies held at
	// once (default DefaultMaxBodyMemory; at least MaxBodyBytes). A body
	// is counted from its arrival to the end of its request.
	MaxBodyMemory int64
	// MaxConcurrent limits the chat completions served at once (default
	// DefaultMaxConcurrent); past it, requests get 429 with Retry-After.
	MaxConcurrent int
	// MaxToolCalls limits the host tool calls one model turn may start
	// (default agent.DefaultMaxToolCalls).
	MaxToolCalls int
	// AllowedHosts are the names, besides localhost and the addresses the
	// server binds, that a request's Host may give: "agents.example.com",
	// "*.example.com" for any subdomain, "*" for any name (which gives up
	// the protection against DNS rebinding).
	AllowedHosts []string
	// MaxConnections, ReadTimeout, WriteTimeout and IdleTimeout apply to
	// Serve (defaults DefaultMaxConnections, DefaultReadTimeout,
	// DefaultWriteTimeout, DefaultIdleTimeout). WriteTimeout also applies
	// to each write of a response served by ServeHTTP.
	MaxConnections int
	ReadTimeout    time.Duration
	WriteTimeout   time.Duration
	IdleTimeout    time.Duration
	// ToolEvents streams tool_call/tool_response frames on every request,
	// not only those that ask with ToolEventsHeader.
	ToolEvents bool
	// MaxSteps caps the model turns of one request (default
	// agent.DefaultMaxSteps).
	MaxSteps int
	// APIKeys, when not empty, are the bearer tokens /v1/ accepts.
	APIKeys []string
	// AllowedOrigins are the browser origins, besides the server's own,
	// allowed to call the API ("*" allows any).
	AllowedOrigins []string
	// KeepAlive is the interval of SSE comment frames while the stream is
	// otherwise silent, such as during a long tool call (default 15s).
	KeepAlive time.Duration
	// BuiltinTools are the provider's own tools enabled on this server (such
	// as "google_search"). They are on for every request that selects no
	// tools, and can be named in a model string like MCP tools.
	BuiltinTools []string
	// SystemInstruction, when set, gives the host's own system instruction
	// for a request made at now: it comes before the client's system
	// messages. The host uses it to tell the model where its tools work.
	SystemInstruction func(now time.Time) string
	// UI, when set, is served at /ui/.
	UI http.Handler
	// Ready, when set, is closed once the toolbox is ready (its servers
	// started and their tools listed). Until then /ready answers 503 and
	// the requests that need the tools wait for it.
	Ready <-chan struct{}
	// Backend names the model backend in use, for /health.
	Backend string
	// SeparateMetrics leaves /metrics out of the API, for a caller that
	// serves [Server.Metrics] on a listener of its own. Otherwise /metrics
	// needs an API key like /v1/.
	SeparateMetrics bool
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Server serves the API. It is safe for concurrent use.
type Server struct {
	provider llm.Provider
	tools    Toolbox
	agent    *agent.Agent
	opts     Options
	logger   *slog.Logger
	hosts    hostPolicy
	bodies   budget
	metrics  *metrics
	mux      http.Handler // every route, without the Host check
	handler  http.Handler // mux behind the Host check
}

// New returns a Server answering with p's models. opts may be nil.
func New(p llm.Provider, opts *Options) *Server {
	s := &Server{provider: p}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.Logger == nil {
		s.opts.Logger = slog.New(slog.DiscardHandler)
	}
	o := &s.opts
	o.MaxBodyBytes = orDefault(o.MaxBodyBytes, DefaultMaxBodyBytes)
	o.MaxBodyMemory = max(orDefault(o.MaxBodyMemory, DefaultMaxBodyMemory), o.MaxBodyBytes)
	o.MaxConcurrent = orDefault(o.MaxConcurrent, DefaultMaxConcurrent)
	o.MaxConnections = orDefault(o.MaxConnections, DefaultMaxConnections)
	o.ReadTimeout = orDefault(o.ReadTimeout, DefaultReadTimeout)
	o.WriteTimeout = orDefault(o.WriteTimeout, DefaultWriteTimeout)
	o.IdleTimeout = orDefault(o.IdleTimeout, DefaultIdleTimeout)
	if s.opts.KeepAlive <= 0 {
		s.opts.KeepAlive = 15 * time.Second
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	s.logger = s.opts.Logger
	s.tools = s.opts.Toolbox
	var tools agent.Toolbox
	if s.tools != nil {
		tools = s.tools
	}
	s.agent = agent.New(p, tools, &agent.Options{MaxSteps: s.opts.MaxSteps, MaxToolCalls: s.opts.MaxToolCalls, Logger: s.logger})
	s.bodies.max = s.opts.MaxBodyMemory
	s.hosts = newHostPolicy(s.opts.AllowedHosts)
	s.metrics = newMetrics(s.tools)
	s.mux = s.metrics.instrument(s.routes())
	s.handler = checkHost(s.hosts, s.mux)
	return s
}

// orDefault returns def for a zero or negative v.
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func (s *Server) routes() http.Handler {
	api := http.NewServeMux()
	route := func(method, path string, h http.HandlerFunc) {
		api.HandleFunc(method+" "+path, h)
		// Any other method on the path: 405, in the API's error format.
		allow := method
		if method == http.MethodGet {
			allow = "GET, HEAD"
		}
		api.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, "invalid_request_error", "method_not_allowed",
				r.Method+" is not allowed on "+r.URL.Path+"; use "+allow)
		})
	}
	chat := limitConcurrent(s.opts.MaxConcurrent, s.limitBody(http.HandlerFunc(s.handleChat)))
	route("POST", "/v1/chat/completions", chat.ServeHTTP)
	route("GET", "/v1/models", s.handleModels)
	route("GET", "/v1/models/{id...}", s.handleModel)
	route("GET", "/v1/tools", s.handleTools)
	api.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "invalid_request_error", "not_found", "no such endpoint: "+r.Method+" "+r.URL.Path)
	})

	mux := http.NewServeMux()
	mux.Handle("/v1/", s.authorize(requireJSON(api)))
	mux.HandleFunc("GET /health", s.handleHealth)
	mux.HandleFunc("GET /ready", s.handleReady)
	if !s.opts.SeparateMetrics {
		mux.Handle("GET /metrics", s.authorize(s.Metrics()))
	}
	if s.opts.UI != nil {
		mux.Handle("/ui/", s.opts.UI)
		mux.Handle("GET /ui", http.RedirectHandler("/ui/", http.StatusMovedPermanently))
	}
	return s.cors(mux)
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve serves on l until ctx is cancelled, then shuts down gracefully,
// giving running requests a few seconds to end. Besides the names of
// Options.AllowedHosts, requests may name l's address in their Host.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	hs := &http.Server{
		Handler:           checkHost(s.hosts.binding(l.Addr()), s.mux),
		ReadHeaderTimeout: 10 * time.Second,
		// ReadTimeout covers the body too; net/http lifts it once the body
		// is read, so a long stream is not cut. There is no WriteTimeout:
		// each write has its own deadline (Options.WriteTimeout).
		ReadTimeout:    s.opts.ReadTimeout,
		IdleTimeout:    s.opts.IdleTimeout,
		MaxHeaderBytes: 1 << 20,
		// Requests keep ctx's values but not its cancellation: Shutdown,
		// not ctx, ends them, so running answers can finish.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:    slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	l = limitConnections(l, s.opts.MaxConnections, s.logger)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(shutdown)
	if errors.Is(err, context.DeadlineExceeded) {
		err = hs.Close()
	}
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) {
		return e
	}
	return err
}

// Metrics serves the server's metrics as Prometheus text, to requests
// whose Host is an address or a name the server allows (the metrics name
// the tools, which a page rebound to the port must not read).
func (s *Server) Metrics() http.Handler {
	return checkHost(s.hosts.binding(&net.TCPAddr{IP: net.IPv4zero}), s.metrics.handler())
}

// health is the body of /health.
type health struct {
	Status  string                 `json:"status"` // ok, starting, degraded
	Backend string                 `json:"backend,omitempty"`
	Models  int                    `json:"models"`
	Tools   int                    `json:"tools"`
	Servers []toolbox.ServerStatus `json:"servers"`
}

// handleHealth says whether the host runs, and how its MCP servers are:
// always 200 while the process serves, so that a liveness probe does not
// restart a host whose tool is restarting.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	h := health{Status: "ok", Backend: s.opts.Backend, Models: len(s.provider.Models()), Servers: []toolbox.ServerStatus{}}
	if !s.ready() {
		h.Status = "starting"
	} else {
		h.Tools = len(s.toolList())
		if st, ok := s.tools.(Statuser); ok {
			h.Servers = st.Status()
		}
		for _, srv := range h.Servers {
			if srv.State != toolbox.StateRunning {
				h.Status = "degraded"
			}
		}
	}
	writeJSON(w, http.StatusOK, h)
}

// handleReady is 200 once the tools are listed, else 503: a load
// balancer sends no request to a replica still starting.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if !s.ready() {
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, "server_error", "starting", "the host is starting: its MCP servers are not all listed yet")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) ready() bool {
	if s.opts.Ready == nil {
		return true
	}
	select {
	case <-s.opts.Ready:
		return true
	default:
		return false
	}
}

// awaitReady waits until the tools are ready or the request ends.
func (s *Server) awaitReady(r *http.Request) error {
	if s.opts.Ready == nil {
		return nil
	}
	select {
	case <-s.opts.Ready:
		return nil
	case <-r.Context().Done():
		return r.Context().Err()
	}
}

func (s *Server) toolList() []toolbox.Tool {
	if s.tools == nil {
		return nil
	}
	return s.tools.Tools()
}
