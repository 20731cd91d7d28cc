// Command openaiserver serves an OpenAI-compatible chat API whose model is
// Gemini (Vertex AI or the Gemini API) and which runs MCP tool servers in an
// agent loop. With no Google credentials it serves the built-in offline model.
//
// Run `openaiserver -help` for the flags and environment variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "openaiserver:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "openaiserver:", err)
		os.Exit(1)
	}
}
