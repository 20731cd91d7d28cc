package fakegemini

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
	"syscall"
)

//go:embed usage.txt
var cmdUsage string

// cmdConfig is the fakegemini command's configuration.
type cmdConfig struct {
	addr     string
	scenario string
	apiKey   string
}

// Main runs the fakegemini command with the process's arguments and returns
// its exit code: it serves the fake on an address, scripted by a scenario
// file or answering with the offline model, and prints its base URL first.
func Main() int {
	var cfg cmdConfig
	fs := flag.NewFlagSet("fakegemini", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "address to listen on")
	fs.StringVar(&cfg.scenario, "scenario", "", "scenario file (txtar); none means the offline model")
	fs.StringVar(&cfg.apiKey, "api-key", "", "the only Gemini API key accepted (default: any)")
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
		logger.Error("fakegemini", "err", err)
		return 1
	}
	return 0
}

// runCmd serves until ctx is done. The first line written to out is the base
// URL of the server.
func runCmd(ctx context.Context, cfg cmdConfig, out io.Writer, logger *slog.Logger) error {
	responder := Offline()
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
		logger.Info("serving the offline model")
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.addr, err)
	}
	srv := &http.Server{Handler: New(responder, &Options{Logger: logger, APIKey: cfg.apiKey})}
	if _, err := fmt.Fprintf(out, "http://%s\n", ln.Addr()); err != nil {
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
	return srv.Shutdown(context.WithoutCancel(ctx))
}
