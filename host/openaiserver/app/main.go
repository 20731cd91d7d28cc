// Package app is the openaiserver command as a library: an
// OpenAI-compatible chat API whose model is Gemini (Vertex AI or the Gemini
// API), running MCP tool servers in an agent loop. With no Google
// credentials it serves the built-in offline model. [Main] runs it; the
// binary (host/cmd/openaiserver, or `go run .` in host/openaiserver) is
// that one call, and scripts run it in-process.
//
// Run `openaiserver -help` for the flags and environment variables.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Main runs the command with the process's arguments and environment and
// returns its exit code.
func Main() int {
	if err := hardenProcess(); err != nil {
		fmt.Fprintln(os.Stderr, "openaiserver: warning: the tools may read this process's environment:", err)
	}
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "openaiserver:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "openaiserver:", err)
		return 1
	}
	return 0
}
