package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
	"github.com/owulveryck/gomcptest/host/ui"
)

// run serves until ctx is cancelled. It listens first, so /health and
// /ready answer while the MCP servers start; requests that need the tools
// wait for them. A server that cannot start stops the host.
func run(ctx context.Context, cfg config, stderr io.Writer) error {
	var h slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel})
	if cfg.logJSON {
		h = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel})
	}
	logger := slog.New(h)
	if cfg.memoryLimit > 0 {
		debug.SetMemoryLimit(cfg.memoryLimit)
	}

	provider, err := backend.Provider(ctx, cfg.backend, logger)
	if err != nil {
		return err
	}
	specs, err := toolbox.ParseSpec(cfg.mcpServers)
	if err != nil {
		return fmt.Errorf("-mcpservers: %w", err)
	}
	instruction, err := systemInstruction(cfg, specs)
	if err != nil {
		return err
	}
	tools := &startingTools{ready: make(chan struct{})}
	opts := cfg.limits
	opts.SystemInstruction = instruction
	opts.Logger = logger
	opts.Toolbox = tools
	opts.Ready = tools.ready
	opts.Backend = string(cfg.backend.Kind())
	opts.MaxBodyBytes = cfg.maxBody
	opts.ToolEvents = cfg.withAllEvents
	opts.MaxSteps = cfg.maxSteps
	opts.APIKeys = cfg.apiKeys
	opts.AllowedOrigins = cfg.corsOrigins
	opts.BuiltinTools = cfg.builtins
	opts.SeparateMetrics = cfg.metricsAddr != ""
	opts.UI = ui.Handler()
	srv := server.New(provider, &opts)
	l, err := net.Listen("tcp", net.JoinHostPort(cfg.host, strconv.Itoa(cfg.port)))
	if err != nil {
		return err
	}
	if ip := net.ParseIP(cfg.host); ip == nil || !ip.IsLoopback() {
		if len(cfg.apiKeys) == 0 {
			logger.Warn("serving beyond this machine without API keys: anyone who reaches the port can run the tools; set OPENAISERVER_API_KEYS", "host", cfg.host)
		}
		if len(cfg.limits.AllowedHosts) == 0 {
			logger.Warn("no -allowed-hosts: clients must use an IP address or localhost; a request naming the server by a DNS name gets 403", "host", cfg.host)
		}
	}
	serving, stop := context.WithCancel(ctx)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(serving, l) }()
	if cfg.metricsAddr != "" {
		ml, err := net.Listen("tcp", cfg.metricsAddr)
		if err != nil {
			stop()
			<-served
			return fmt.Errorf("-metrics-addr: %w", err)
		}
		go serveMetrics(serving, ml, srv.Metrics())
		logger.Info("serving metrics", "url", "http://"+ml.Addr().String()+"/metrics")
	}

	tb, err := toolbox.New(ctx, specs, &toolbox.Options{Logger: logger, CallTimeout: cfg.toolTimeout, ClientName: "openaiserver", PassEnv: cfg.toolEnv})
	if err != nil {
		stop()
		<-served
		if ctx.Err() != nil {
			return nil // stopped while the tools started: a clean stop
		}
		return err
	}
	defer tb.Close()
	tools.tb = tb
	close(tools.ready)
	logger.Info("listening", "url", "http://"+l.Addr().String(), "tools", len(tb.Tools()), "tool_events", cfg.withAllEvents, "ui", "http://"+l.Addr().String()+ui.Prefix)
	return <-served
}

// serveMetrics serves /metrics on a listener of its own until ctx ends.
func serveMetrics(ctx context.Context, l net.Listener, metrics http.Handler) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	_ = hs.Serve(l) // ends with the context
}

// startingTools is the toolbox the server holds while the MCP servers
// start: none of their tools until tb is set and ready closed.
type startingTools struct {
	ready chan struct{}
	tb    *toolbox.Toolbox // set before ready is closed
}

func (s *startingTools) started() bool {
	select {
	case <-s.ready:
		return true
	default:
		return false
	}
}

func (s *startingTools) Tools() []toolbox.Tool {
	if !s.started() {
		return nil
	}
	return s.tb.Tools()
}

func (s *startingTools) Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	if !s.started() {
		return nil, errors.New("the host's MCP servers are still starting")
	}
	return s.tb.Call(ctx, name, args)
}

func (s *startingTools) Status() []toolbox.ServerStatus {
	if !s.started() {
		return nil
	}
	return s.tb.Status()
}
