// Package serve holds what the fakes' commands share: Main parses the
// flags and runs until interrupted, and Run serves HTTP on an address,
// tells the caller where, and stops when told to.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Options configure Run. A nil *Options means the zero Options.
type Options struct {
	// Path follows the address in the URL Run prints, such as "/v1".
	Path string
	// Grace bounds how long a stopping server waits for the requests in
	// flight before it closes their connections. Zero means no bound; a
	// negative Grace closes them at once.
	Grace time.Duration
	// Logger says when the server shuts down; nil means no logging.
	Logger *slog.Logger
}

// Run listens on addr, writes the server's URL, http://HOST:PORT and
// opts.Path, as one line to out, and serves srv there until ctx is done.
// Then it stops srv as opts.Grace says, closing the connections still open
// when the grace ends, and returns the error of the shutdown, nil for a
// clean one. It returns early with an error when it
// cannot listen, write the URL or serve. srv.Addr is ignored.
func Run(ctx context.Context, addr string, srv *http.Server, out io.Writer, opts *Options) error {
	if opts == nil {
		opts = &Options{}
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	if _, err := fmt.Fprintf(out, "http://%s%s\n", ln.Addr(), opts.Path); err != nil {
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
	switch {
	case opts.Grace < 0:
		return srv.Close()
	case opts.Grace == 0:
		return srv.Shutdown(context.WithoutCancel(ctx))
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.Grace)
	defer cancel()
	err = srv.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		// Past the grace, closing what is left (a client's open event
		// stream, say) is the normal end of a stop, not a failure.
		logger.Warn("closing the connections still open after the grace period", "grace", opts.Grace)
		return srv.Close()
	}
	return err
}
