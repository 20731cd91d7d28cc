// Package mcptest is the mcptest command: it drives an MCP server from the
// command line, listing the server's tools and calling them, over stdio or
// streamable HTTP. Run "mcptest help" to learn it.
package mcptest

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Main runs the command with the process's arguments and returns its exit
// code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
}
