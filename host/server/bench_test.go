package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/llmtest"
	"github.com/owulveryck/gomcptest/host/server"
)

// BenchmarkChatCompletion measures the host's own cost for one chat
// completion that makes one tool call: decoding, the agent loop with two
// model turns, the tool call, and rendering. The provider and the toolbox
// are in-process and answer at once, so what is measured is the host.
func BenchmarkChatCompletion(b *testing.B) {
	for _, stream := range []bool{false, true} {
		name := "json"
		if stream {
			name = "sse"
		}
		b.Run(name, func(b *testing.B) {
			p := llmtest.New(
				llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":0}`)}),
				llmtest.Text("I slept", " for no time at all."),
			)
			p.Loop = true
			srv := server.New(p, &server.Options{Toolbox: sleepToolbox()})
			body := `{"model":"test-model","stream":` + map[bool]string{true: "true", false: "false"}[stream] +
				`,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Please sleep for 0 seconds, then tell me you are done."}]}`
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "http://127.0.0.1/v1/chat/completions", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Tool-Events", "true")
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				if w.Code != 200 || !strings.Contains(w.Body.String(), "no time at all") {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
