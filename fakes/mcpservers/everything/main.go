package everything

import (
	"context"
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
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// shutdownGrace bounds how long a stopping server waits for open requests.
const shutdownGrace = 5 * time.Second

// Main runs the everything command with the process's arguments and returns
// its exit code. With -http ADDR it serves streamable HTTP and prints the
// server's URL as the first line of stdout (use port 0 to get a free port);
// without it, it serves one session on stdin and stdout.
func Main() int {
	fs := flag.NewFlagSet("everything", flag.ContinueOnError)
	addr := fs.String("http", "", "serve streamable HTTP on this address (e.g. 127.0.0.1:0) instead of stdio")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: everything [-http ADDR]\n\nThe fixture MCP server of the official conformance suite.")
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
	// The SDK logs every session at Info; only trouble is worth a line.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s := New(&Options{Logger: logger})
	var err error
	if *addr == "" {
		err = s.Run(ctx, &mcp.StdioTransport{})
		if errors.Is(err, mcp.ErrConnectionClosed) || errors.Is(err, io.EOF) {
			err = nil // the client hung up: the normal end of a stdio server
		}
	} else {
		err = serveHTTP(ctx, *addr, s, os.Stdout, logger)
	}
	if err != nil {
		logger.Error("everything", "err", err)
		return 1
	}
	return 0
}

// serveHTTP serves s on addr until ctx is done. The first line written to
// out is the URL of the MCP endpoint.
func serveHTTP(ctx context.Context, addr string, s *mcp.Server, out io.Writer, logger *slog.Logger) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: Handler(s, logger), ReadHeaderTimeout: 10 * time.Second}
	if _, err := fmt.Fprintf(out, "http://%s%s\n", ln.Addr(), Path); err != nil {
		ln.Close()
		return fmt.Errorf("writing the URL: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	return srv.Shutdown(sctx)
}
