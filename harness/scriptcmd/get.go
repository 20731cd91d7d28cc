package scriptcmd

import (
	"context"
	"flag"
	"io"
	"net/http"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// get fetches URL and prints the body, failing unless the status is the
// expected one (-status, default 200).
func get(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	status := fs.Int("status", http.StatusOK, "expected HTTP status")
	key := fs.String("key", "", "API key")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || neg {
		ts.Fatalf("usage: get [-status N] [-key K] URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", fs.Arg(0), nil)
	ts.Check(err)
	if *key != "" {
		req.Header.Set("Authorization", "Bearer "+*key)
	}
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	if resp.StatusCode != *status {
		ts.Fatalf("status %d, want %d; body:\n%s", resp.StatusCode, *status, body)
	}
	ts.Stdout().Write(body)
}
