package openaiserver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"strconv"

	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
	"github.com/owulveryck/gomcptest/host/ui"
)

// run starts the tools and serves until ctx is cancelled.
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
	tools, err := toolbox.New(ctx, specs, &toolbox.Options{Logger: logger, CallTimeout: cfg.toolTimeout, ClientName: "openaiserver", PassEnv: cfg.toolEnv})
	if err != nil {
		return err
	}
	defer tools.Close()

	instruction, err := systemInstruction(cfg, specs)
	if err != nil {
		return err
	}
	opts := cfg.limits
	opts.SystemInstruction = instruction
	opts.Logger = logger
	opts.Toolbox = tools
	opts.MaxBodyBytes = cfg.maxBody
	opts.ToolEvents = cfg.withAllEvents
	opts.MaxSteps = cfg.maxSteps
	opts.APIKeys = cfg.apiKeys
	opts.AllowedOrigins = cfg.corsOrigins
	opts.BuiltinTools = cfg.builtins
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
	logger.Info("listening", "url", "http://"+l.Addr().String(), "tools", len(tools.Tools()), "tool_events", cfg.withAllEvents, "ui", "http://"+l.Addr().String()+ui.Prefix)
	return srv.Serve(ctx, l)
}
