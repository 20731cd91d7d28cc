package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// instantSleep is a toolbox whose sleep tool answers at once.
type instantSleep struct{}

func (instantSleep) Tools() []toolbox.Tool {
	return []toolbox.Tool{{Tool: llm.Tool{Name: "sleep", Description: "Sleeps.", Parameters: json.RawMessage(`{"type":"object","properties":{"seconds":{"type":"number"}},"required":["seconds"]}`)}, Server: "sleep"}}
}

func (instantSleep) Call(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "Slept for 0 seconds"}}}, nil
}

// BenchmarkOfflineChat is one chat completion with one tool call through
// everything openaiserver runs on the offline model: the server, the agent,
// the Gemini provider and the genai client, and the fake Gemini server
// in-process. It bounds what BenchmarkChatCompletion in host/server leaves
// out (genai's encoding and the fake's work).
func BenchmarkOfflineChat(b *testing.B) {
	cfg, err := parseConfig(nil, func(string) string { return "" }, nil)
	if err != nil {
		b.Fatal(err)
	}
	provider, err := backend.Provider(b.Context(), cfg.backend, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	srv := server.New(provider, &server.Options{Toolbox: instantSleep{}})
	body := `{"model":"gemini-2.5-flash","stream":true,"messages":[{"role":"user","content":"Please sleep for 0 seconds."}]}`
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "http://127.0.0.1/v1/chat/completions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		srv.ServeHTTP(w, req)
		if !strings.Contains(w.Body.String(), "data: [DONE]") || !strings.Contains(w.Body.String(), " 0 seconds") {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
