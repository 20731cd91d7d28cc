package fakeopenai

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/fakes/internal/serve"
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
	fs.StringVar(&cfg.models, "models", strings.Join(DefaultModels(), ","), "comma list of the models served")
	fs.DurationVar(&cfg.latency, "latency", 0, "delay of every echoed answer")
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
	responder := Echo(cfg.latency)
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
				logger.Info("refused as the scenario expects", "status", e.Status)
			}
		}
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
	opts.Models = models
	srv := &http.Server{Handler: New(responder, opts)}
	// Scripted delays would hold a graceful shutdown; the fake owes its
	// clients nothing once told to stop.
	return serve.Run(ctx, cfg.addr, srv, out, &serve.Options{Path: "/v1", Grace: -1, Logger: logger})
}
