package serve

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRun serves a handler: the first line out is its URL, it answers
// there, and it stops when its context ends, for each kind of shutdown.
func TestRun(t *testing.T) {
	for _, grace := range []time.Duration{-1, 0, time.Second} {
		t.Run(grace.String(), func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			pr, pw := io.Pipe()
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, r.URL.Path)
			})}
			done := make(chan error, 1)
			go func() { done <- Run(ctx, "127.0.0.1:0", srv, pw, &Options{Path: "/v1", Grace: grace}) }()
			url, err := bufio.NewReader(pr).ReadString('\n')
			if err != nil {
				t.Fatalf("reading the URL: %v", err)
			}
			url = strings.TrimSpace(url)
			if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/v1") {
				t.Fatalf("URL = %q", url)
			}
			resp, err := http.Get(url + "/models")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(body) != "/v1/models" {
				t.Errorf("body = %q, want the path", body)
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run after cancel: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not stop after cancel")
			}
		})
	}
}

func TestRunListenError(t *testing.T) {
	err := Run(t.Context(), "127.0.0.1:-1", &http.Server{}, io.Discard, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "listening on 127.0.0.1:-1: ") {
		t.Errorf("got %v, want a listening error naming the address", err)
	}
}
