package fakegemini

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"

	"github.com/owulveryck/gomcptest/fakes/internal/serve"
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
	return serve.Main(fs, os.Args[1:], nil, func(ctx context.Context, logger *slog.Logger) error {
		return runCmd(ctx, cfg, os.Stdout, logger)
	})
}

// runCmd serves until ctx is done. The first line written to out is the base
// URL of the server.
func runCmd(ctx context.Context, cfg cmdConfig, out io.Writer, logger *slog.Logger) error {
	responder := Offline()
	opts := &Options{Logger: logger, APIKey: cfg.apiKey}
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
		// A refusal the scenario expects uses up its turn.
		opts.OnReject = func(_ *http.Request, e *Error) {
			if ok, err := script.refused(e); err != nil {
				logger.Warn("unexpected refusal", "err", err)
			} else if ok {
				logger.Info("refused as the scenario expects", "code", e.Code)
			}
		}
		logger.Info("serving scenario", "file", cfg.scenario, "turns", len(sc.Steps))
	} else {
		logger.Info("serving the offline model")
	}
	srv := &http.Server{Handler: New(responder, opts)}
	return serve.Run(ctx, cfg.addr, srv, out, &serve.Options{Logger: logger})
}
