package mcpservers

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
)

// Main is the mcpzoo command: mcpzoo [-http ADDR] DEFECT.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return run(ctx, os.Args[1:], os.Stdout, os.Stderr)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mcpzoo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("http", "", "serve streamable HTTP on `ADDR` instead of stdio")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: mcpzoo [-http ADDR] SERVER\n\nServers:\n")
		for _, d := range Defects() {
			fmt.Fprintf(stderr, "  %-20s %s\n", d.Name, d.Doc)
		}
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	d, err := Lookup(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "mcpzoo: %v (one of: %s)\n", err, names())
		return 2
	}
	if *addr == "" {
		if err := d.ServeStdio(ctx, stdout); err != nil && ctx.Err() == nil {
			fmt.Fprintf(stderr, "mcpzoo: %v\n", err)
			return 1
		}
		return 0
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "mcpzoo: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "mcpzoo: %s on http://%s/mcp\n", d.Name, ln.Addr())
	srv := &http.Server{Handler: d.Handler()}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "mcpzoo: %v\n", err)
		return 1
	}
	return 0
}

func names() string {
	var ns []string
	for _, d := range Defects() {
		ns = append(ns, d.Name)
	}
	return strings.Join(ns, ", ")
}
