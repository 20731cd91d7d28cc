package fakegemini

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/fakes/internal/serve/servetest"
)

// start runs the server and returns its base URL and a function that stops
// it and returns run's error.
func start(t *testing.T, cfg cmdConfig) (string, func() error) {
	t.Helper()
	return servetest.Start(t, func(ctx context.Context, out io.Writer) error {
		return runCmd(ctx, cfg, out, slog.New(slog.DiscardHandler))
	})
}

func TestRunOffline(t *testing.T) {
	url, stop := start(t, cmdConfig{addr: "127.0.0.1:0"})
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("first line = %q, want the base URL", url)
	}
	c, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		Backend: genai.BackendGeminiAPI, APIKey: "k", HTTPOptions: genai.HTTPOptions{BaseURL: url},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Models.GenerateContent(context.Background(), "gemini-2.5-flash", genai.Text("hello"), nil)
	if err != nil || !strings.Contains(resp.Text(), "offline model") {
		t.Errorf("got %v, %v; want the offline greeting", resp, err)
	}
	if err := stop(); err != nil {
		t.Errorf("run after cancel: %v", err)
	}
}

func TestRunScenario(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.txtar")
	os.WriteFile(file, []byte("-- one --\ntext Scripted.\n"), 0o600)
	url, stop := start(t, cmdConfig{addr: "127.0.0.1:0", scenario: file})
	defer stop()
	c, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		Backend: genai.BackendVertexAI, Project: "p", Location: "l",
		HTTPClient: &http.Client{}, HTTPOptions: genai.HTTPOptions{BaseURL: url},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Models.GenerateContent(context.Background(), "gemini-2.5-flash", genai.Text("hello"), nil)
	if err != nil || resp.Text() != "Scripted." {
		t.Errorf("got %v, %v", resp, err)
	}
}

func TestRunBadScenario(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.txtar")
	os.WriteFile(file, []byte("-- one --\nbogus\n"), 0o600)
	err := runCmd(context.Background(), cmdConfig{addr: "127.0.0.1:0", scenario: file}, io.Discard, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "bad.txtar:2: unknown directive") {
		t.Errorf("got %v, want a parse error naming the file and line", err)
	}
}
