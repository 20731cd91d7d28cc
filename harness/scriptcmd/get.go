package scriptcmd

import (
	"context"
	"flag"
	"io"
	"net/http"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func getCmd() command {
	return command{
		name:    "get",
		args:    "[-status N] [-key K] URL",
		summary: "fetch URL and print the body",
		detail: []string{
			"Fails unless the answer has the status N (default 200). -key K sends Authorization: Bearer K.",
		},
		run: get,
	}
}

func get(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	status := fs.Int("status", http.StatusOK, "expected HTTP status")
	key := fs.String("key", "", "API key")
	noNeg(ts, neg, "get")
	if parseFlags(ts, fs, args) != 1 {
		fatalUsage(ts, "get")
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
