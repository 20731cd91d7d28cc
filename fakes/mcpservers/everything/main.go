package everything

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/fakes/internal/serve"
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
	// The SDK logs every session at Info; only trouble is worth a line.
	logOpts := &slog.HandlerOptions{Level: slog.LevelWarn}
	return serve.Main(fs, os.Args[1:], logOpts, func(ctx context.Context, logger *slog.Logger) error {
		s := New(&Options{Logger: logger})
		if *addr != "" {
			return serveHTTP(ctx, *addr, s, os.Stdout, logger)
		}
		err := s.Run(ctx, &mcp.StdioTransport{})
		if errors.Is(err, mcp.ErrConnectionClosed) || errors.Is(err, io.EOF) {
			return nil // the client hung up: the normal end of a stdio server
		}
		return err
	})
}

// serveHTTP serves s on addr until ctx is done. The first line written to
// out is the URL of the MCP endpoint.
func serveHTTP(ctx context.Context, addr string, s *mcp.Server, out io.Writer, logger *slog.Logger) error {
	srv := &http.Server{Handler: Handler(s, logger), ReadHeaderTimeout: 10 * time.Second}
	return serve.Run(ctx, addr, srv, out, &serve.Options{Path: Path, Grace: shutdownGrace, Logger: logger})
}
