// Package servetest runs a fake's command in a test, as its Main would.
package servetest

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
)

// Start runs run, a fake command's body, in the background and returns
// the base URL it writes first to out, and a function that stops it and
// returns run's error. It fails the test when run ends before writing a
// line.
func Start(tb testing.TB, run func(ctx context.Context, out io.Writer) error) (string, func() error) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		tb.Fatalf("reading the base URL: %v (run: %v)", err, <-errc)
	}
	go io.Copy(io.Discard, pr)
	return strings.TrimSpace(line), func() error { cancel(); return <-errc }
}
