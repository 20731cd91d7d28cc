package fakeopenai

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/owulveryck/gomcptest/fakes/internal/serve/servetest"
)

// TestRunScenario runs the command on a scenario whose first turn expects
// a refusal: the refusal uses it up, and the next request gets the call.
func TestRunScenario(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.txtar")
	os.WriteFile(file, []byte("-- wrong key --\nexpect refused 401\n-- call --\ncall lookup {\"q\": \"x\"} id=c1\n"), 0o600)
	cfg := cmdConfig{addr: "127.0.0.1:0", scenario: file, apiKey: "sk-right", models: "gpt-4o-mini"}
	url, stop := servetest.Start(t, func(ctx context.Context, out io.Writer) error {
		return runCmd(ctx, cfg, out, slog.New(slog.DiscardHandler))
	})
	defer stop()
	ask := func(key string) (openai.ChatCompletionResponse, error) {
		c := openai.DefaultConfig(key)
		c.BaseURL = url
		return openai.NewClientWithConfig(c).CreateChatCompletion(t.Context(), openai.ChatCompletionRequest{
			Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "hi"}},
		})
	}
	var apiErr *openai.APIError
	if _, err := ask("sk-wrong"); !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 401 {
		t.Fatalf("wrong key: %v, want a 401", err)
	}
	res, err := ask("sk-right")
	if err != nil {
		t.Fatal(err)
	}
	if calls := res.Choices[0].Message.ToolCalls; len(calls) != 1 || calls[0].ID != "c1" {
		t.Errorf("answer %+v, want the call c1", res.Choices[0].Message)
	}
}

func TestRunBadScenario(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.txtar")
	os.WriteFile(file, []byte("-- one --\nfinish done\n"), 0o600)
	err := runCmd(context.Background(), cmdConfig{addr: "127.0.0.1:0", scenario: file}, io.Discard, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), `bad.txtar:2: finish wants stop, length, tool_calls or content_filter; got "done"`) {
		t.Errorf("got %v, want a parse error naming the file and line", err)
	}
}
