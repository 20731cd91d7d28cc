// Package server is the host's HTTP face: the OpenAI-compatible API
// (/v1/chat/completions, /v1/models, /v1/tools), a health endpoint, and the
// middleware that guards them (body limit, optional API keys, strict CORS).
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
	// UI, when set, is served at /ui/.
	UI http.Handler
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
	handler  http.Handler
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
	if s.opts.MaxBodyBytes <= 0 {
		s.opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
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
	s.agent = agent.New(p, tools, &agent.Options{MaxSteps: s.opts.MaxSteps, Logger: s.logger})
	s.handler = s.routes()
	return s
}

func (s *Server) routes() http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("POST /v1/chat/completions", s.handleChat)
	api.HandleFunc("GET /v1/models", s.handleModels)
	api.HandleFunc("GET /v1/models/{id...}", s.handleModel)
	api.HandleFunc("GET /v1/tools", s.handleTools)
	api.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "invalid_request_error", "not_found", "no such endpoint: "+r.Method+" "+r.URL.Path)
	})

	mux := http.NewServeMux()
	mux.Handle("/v1/", s.authorize(s.limitBody(api)))
	mux.HandleFunc("GET /health", s.handleHealth)
	if s.opts.UI != nil {
		mux.Handle("/ui/", s.opts.UI)
		mux.Handle("GET /ui", http.RedirectHandler("/ui/", http.StatusMovedPermanently))
	}
	return s.cors(mux)
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve serves on l until ctx is cancelled, then shuts down gracefully,
// giving running requests a few seconds to end.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    1 << 20,
		// Requests keep ctx's values but not its cancellation: Shutdown,
		// not ctx, ends them, so running answers can finish.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:    slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
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

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "models": len(s.provider.Models()), "tools": len(s.toolList())})
}

func (s *Server) toolList() []toolbox.Tool {
	if s.tools == nil {
		return nil
	}
	return s.tools.Tools()
}
