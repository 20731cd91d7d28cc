package vcr

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Handler serves r's answers over HTTP: a stand-in model service for a
// program that cannot be handed an HTTP client (point the program's base
// URL at it). A request r cannot answer gets a 500 whose body, in the
// shape of Google's and OpenAI's error bodies ({"error":{"message":...}}),
// names the cassette, the request and the nearest recorded one; the error
// is passed to onMiss when it is not nil.
func Handler(r *Recorder, onMiss func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		out := req.Clone(req.Context())
		out.RequestURI = ""
		resp, err := r.RoundTrip(out)
		if err != nil {
			if onMiss != nil {
				onMiss(err)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
				"code": http.StatusInternalServerError, "status": "INTERNAL", "message": "vcr: " + err.Error(),
			}})
			return
		}
		defer resp.Body.Close()
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})
}

const serveUsage = `vcr serves a cassette's recorded answers over HTTP, a stand-in for the
model service it was recorded against (replay only, no network):

  vcr [-addr 127.0.0.1:8089] CASSETTE.yaml

Point a program at it, e.g. openaiserver with MODEL_BASE_URL=http://ADDR and
GCP_PROJECT set to anything. On SIGINT or SIGTERM it reports requests it could
not answer and interactions never used, and exits 1 if there were any.

Flags:
`

// Main is the vcr command; it returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveMain(ctx, os.Args[1:], os.Stderr)
}

func serveMain(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("vcr", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	addr := fs.String("addr", "127.0.0.1:8089", "address to listen on")
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
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := New(fs.Arg(0), &Options{Logger: logger})
	if err != nil {
		fmt.Fprintln(stderr, "vcr:", err)
		return 1
	}
	var mu sync.Mutex
	var misses []string
	onMiss := func(err error) {
		logger.Error("no recorded answer", "err", err)
		mu.Lock()
		misses = append(misses, err.Error())
		mu.Unlock()
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "vcr:", err)
		return 1
	}
	srv := &http.Server{Handler: Handler(r, onMiss), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	logger.Info("replaying", "cassette", r.File(), "url", "http://"+l.Addr().String())
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "vcr:", err)
		return 1
	}
	code := 0
	mu.Lock()
	defer mu.Unlock()
	if len(misses) > 0 {
		fmt.Fprintf(stderr, "vcr: %d requests had no recorded answer\n", len(misses))
		code = 1
	}
	if unused := r.Unused(); len(unused) > 0 {
		fmt.Fprintf(stderr, "vcr: interactions never used:\n\t%s\n", strings.Join(unused, "\n\t"))
		code = 1
	}
	return code
}
