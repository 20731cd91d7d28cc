// Command fakegemini serves a fake Vertex AI and Gemini API endpoint on
// which the real google.golang.org/genai client runs unchanged: scripted by
// a scenario file, or answering with the built-in offline model.
package main

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

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
)

//go:embed usage.txt
var usage string

type config struct {
	addr     string
	scenario string
	apiKey   string
}

func main() {
	var cfg config
	fs := flag.NewFlagSet("fakegemini", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "address to listen on")
	fs.StringVar(&cfg.scenario, "scenario", "", "scenario file (txtar); none means the offline model")
	fs.StringVar(&cfg.apiKey, "api-key", "", "the only Gemini API key accepted (default: any)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, cfg, os.Stdout, logger); err != nil {
		logger.Error("fakegemini", "err", err)
		os.Exit(1)
	}
}

// run serves until ctx is done. The first line written to out is the base
// URL of the server.
func run(ctx context.Context, cfg config, out io.Writer, logger *slog.Logger) error {
	responder := fakegemini.Offline()
	if cfg.scenario != "" {
		sc, err := fakegemini.LoadScenario(cfg.scenario)
		if err != nil {
			return err
		}
		script := fakegemini.NewScript(sc)
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
	srv := &http.Server{Handler: fakegemini.New(responder, &fakegemini.Options{Logger: logger, APIKey: cfg.apiKey})}
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
