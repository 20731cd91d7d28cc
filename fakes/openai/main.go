package fakeopenai

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

//go:embed usage.txt
var cmdUsage string

// cmdConfig is the fakeopenai command's configuration.
type cmdConfig struct {
	addr     string
	scenario string
	apiKey   string
	models   string
	latency  time.Duration
}

// Main runs the fakeopenai command with the process's arguments and returns
// its exit code: it serves the fake on an address, scripted by a scenario
// file or echoing, and prints its base URL first.
func Main() int {
	var cfg cmdConfig
	fs := flag.NewFlagSet("fakeopenai", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "address to listen on")
	fs.StringVar(&cfg.scenario, "scenario", "", "scenario file (txtar); none means echo the last user message")
	fs.StringVar(&cfg.apiKey, "api-key", "", "the only bearer token accepted (default: no authentication)")
	fs.StringVar(&cfg.models, "models", strings.Join(DefaultModels, ","), "comma list of the models served")
	fs.DurationVar(&cfg.latency, "latency", 0, "delay of every echoed answer")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), cmdUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := runCmd(ctx, cfg, os.Stdout, logger); err != nil {
		logger.Error("fakeopenai", "err", err)
		return 1
	}
	return 0
}

// runCmd serves until ctx is done. The first line written to out is the base
// URL of the server.
func runCmd(ctx context.Context, cfg cmdConfig, out io.Writer, logger *slog.Logger) error {
	responder := Echo(cfg.latency)
	if cfg.scenario != "" {
		sc, err := LoadScenario(cfg.scenario)
		if err != nil {
			return err
		}
		script := NewScript(sc)
		defer func() {
			if unused := script.Unused(); len(unused) > 0 {
				logger.Warn("scripted turns never used", "turns", unused)
			}
		}()
		responder = script
		logger.Info("serving scenario", "file", cfg.scenario, "turns", len(sc.Steps))
	} else {
		logger.Info("echoing", "latency", cfg.latency)
	}
	var models []string
	for m := range strings.SplitSeq(cfg.models, ",") {
		if m = strings.TrimSpace(m); m != "" {
			models = append(models, m)
		}
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.addr, err)
	}
	srv := &http.Server{Handler: New(responder, &Options{Logger: logger, APIKey: cfg.apiKey, Models: models})}
	if _, err := fmt.Fprintf(out, "http://%s/v1\n", ln.Addr()); err != nil {
		ln.Close()
		return fmt.Errorf("writing base URL: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	// Scripted delays would hold a graceful shutdown; the fake owes its
	// clients nothing once told to stop.
	return srv.Close()
}
