// Command simpleui serves AgentFlow, the host's web UI, against an
// OpenAI-compatible API running elsewhere, for working on the UI or
// using it with a remote host:
//
//	cd host/openaiserver/simpleui && go run . -ui-port=8081 -api-url=http://localhost:4000
//
// then open http://localhost:8081/ui/. It binds to 127.0.0.1 and answers
// only on localhost; the page's requests go to the API through it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/owulveryck/gomcptest/host/ui"
)

func main() {
	fs := flag.NewFlagSet("simpleui", flag.ContinueOnError)
	port := fs.Int("ui-port", 8081, "port to serve the UI on, at 127.0.0.1")
	api := fs.String("api-url", "http://127.0.0.1:8080", "the OpenAI-compatible API the UI talks to (openaiserver's address)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "simpleui serves AgentFlow against an API running elsewhere.\n\nUsage:\n  go run . [-ui-port 8081] [-api-url http://127.0.0.1:8080]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		os.Exit(2)
	}
	u, err := url.Parse(*api)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		fmt.Fprintf(os.Stderr, "simpleui: -api-url %q: want an http or https URL such as http://127.0.0.1:8080\n", *api)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *port, u); err != nil {
		fmt.Fprintln(os.Stderr, "simpleui:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, port int, api *url.URL) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: ui.DevServer(api, logger), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	logger.Info("serving AgentFlow", "url", "http://"+l.Addr().String()+ui.Prefix, "api", api.String())
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
