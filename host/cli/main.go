// Package cli is the cliGCP command: a terminal agent. It runs the host's
// engine in-process (the agent loop on Gemini: Vertex AI, the Gemini API,
// or with no credentials the built-in offline model), or, with -server, any
// OpenAI-compatible chat API (openaiserver, OpenAI, Ollama), and it runs
// the MCP tool servers of -mcpservers itself in both cases: with -server
// the tools are declared in each request and the model's calls are
// executed here, their results sent back.
//
// Run `cliGCP -help` for the flags, the environment and examples.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// Main runs the command with the process's arguments, environment and
// standard streams, and returns its exit code: 0, 1 when a model or tool
// error ended a one-shot prompt (-p, -noninteractive) or the session
// could not start, 2 for bad flags or settings.
func Main() int {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cliGCP:", err)
		return 2
	}
	// SIGTERM ends the session; an interrupt cancels the running turn
	// (and, when no turn runs or twice in a row, ends it too).
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	io := streams{
		in: os.Stdin, out: os.Stdout, err: os.Stderr,
		inTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		outTTY: term.IsTerminal(int(os.Stdout.Fd())),
		width: func() int {
			w, _, err := term.GetSize(int(os.Stdout.Fd()))
			if err != nil || w <= 0 {
				return 80
			}
			return w
		},
	}
	code, err := run(ctx, cfg, io, interrupts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cliGCP:", err)
	}
	return code
}
