package conform

import (
	"encoding/json"
	"testing"
)

// TestRequestShapes judges sampling and elicitation requests of a server,
// with the revision of their session.
func TestRequestShapes(t *testing.T) {
	tests := []struct {
		name, params, rev string
		judge             func(json.RawMessage, string) error
		bad               bool
	}{
		{"sampling", `{"messages":[{"role":"user","content":{"type":"text","text":"hi"}}],"maxTokens":10}`, rev20251125, samplingError, false},
		{"sampling without maxTokens", `{"messages":[]}`, rev20251125, samplingError, true},
		{"sampling as system", `{"messages":[{"role":"system","content":{"type":"text","text":"hi"}}],"maxTokens":1}`, rev20251125, samplingError, true},
		{"sampling with tools", `{"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"maxTokens":1,"tools":[{"name":"t","inputSchema":{"type":"object"}}],"toolChoice":{"mode":"auto"}}`, rev20251125, samplingError, false},
		{"sampling with a bad tool choice", `{"messages":[],"maxTokens":1,"toolChoice":{"mode":"always"}}`, rev20251125, samplingError, true},
		{"content arrays before 2025-11-25", `{"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"maxTokens":1}`, rev20250618, samplingError, true},
		{"tool results mixed with text", `{"messages":[{"role":"user","content":[{"type":"tool_result","toolUseId":"1","content":[]},{"type":"text","text":"and"}]}],"maxTokens":1}`, rev20251125, samplingError, true},
		{"form", `{"message":"name?","requestedSchema":{"type":"object","properties":{"name":{"type":"string"},"n":{"type":"integer"}}}}`, rev20251125, elicitationError, false},
		{"form with a multiple choice", `{"mode":"form","message":"?","requestedSchema":{"type":"object","properties":{"c":{"type":"array","items":{"type":"string","enum":["a","b"]}}}}}`, rev20251125, elicitationError, false},
		{"form nested", `{"message":"?","requestedSchema":{"type":"object","properties":{"o":{"type":"object"}}}}`, rev20251125, elicitationError, true},
		{"form without message", `{"requestedSchema":{"type":"object","properties":{}}}`, rev20251125, elicitationError, true},
		{"url", `{"mode":"url","message":"sign in","elicitationId":"e1","url":"https://example.com/auth"}`, rev20251125, elicitationError, false},
		{"url without id", `{"mode":"url","message":"sign in","url":"https://example.com/auth"}`, rev20251125, elicitationError, true},
		{"url not a URL", `{"mode":"url","message":"sign in","elicitationId":"e1","url":"example"}`, rev20251125, elicitationError, true},
		{"unknown mode", `{"mode":"voice","message":"?"}`, rev20251125, elicitationError, true},
	}
	for _, tt := range tests {
		if err := tt.judge(json.RawMessage(tt.params), tt.rev); (err != nil) != tt.bad {
			t.Errorf("%s: %v, want bad %v", tt.name, err, tt.bad)
		}
	}
}
