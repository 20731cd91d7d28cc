package gemini_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
)

func ptr[T any](v T) *T { return &v }

// fullRequest uses every feature of llm.Request.
var fullRequest = &llm.Request{
	Model:  "gemini-test",
	System: []string{"You are helpful.", "Answer briefly."},
	Messages: []llm.Message{
		{Role: llm.RoleUser, Parts: []llm.Part{
			{Text: "What is in these?"},
			{Media: &llm.Media{MIMEType: "image/png", Data: []byte("PNG")}},
			{Media: &llm.Media{MIMEType: "application/pdf", Data: []byte("PDF"), Name: "a.pdf"}},
		}},
		{Role: llm.RoleAssistant, Parts: []llm.Part{
			{Text: "Let me look."},
			{ToolCall: &llm.ToolCall{ID: "call_a", Name: "get_weather", Arguments: json.RawMessage(`{"city":"Paris"}`),
				Signature: []byte("sig-a"), ProviderID: "g1"}},
			{ToolCall: &llm.ToolCall{ID: "call_b", Name: "screenshot", Arguments: json.RawMessage(`{}`), ProviderID: "g2"}},
		}},
		// Answered out of order: the request must follow the call order.
		{Role: llm.RoleTool, Parts: []llm.Part{{ToolResult: &llm.ToolResult{CallID: "call_b", Name: "screenshot",
			Content: "captured", Media: []llm.Media{{MIMEType: "image/png", Data: []byte("IMG")}}}}}},
		{Role: llm.RoleTool, Parts: []llm.Part{{ToolResult: &llm.ToolResult{CallID: "call_a", Name: "get_weather",
			Content: `{"temp":21}`}}}},
		{Role: llm.RoleAssistant, Parts: []llm.Part{
			{ToolCall: &llm.ToolCall{ID: "call_c", Name: "get_weather", Arguments: json.RawMessage(`{"city":"Oslo"}`), Signature: []byte("sig-c")}},
		}},
		{Role: llm.RoleTool, Parts: []llm.Part{{ToolResult: &llm.ToolResult{CallID: "call_c", Content: "city not found", IsError: true}}}},
		{Role: llm.RoleUser, Parts: []llm.Part{{Text: "Thanks."}}},
	},
	Tools: []llm.Tool{{
		Name:        "get_weather",
		Description: "Weather of a city.",
		Parameters: json.RawMessage(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
			"properties":{"city":{"type":"string"},"unit":{"$ref":"#/$defs/unit"}},"required":["city"],
			"$defs":{"unit":{"$schema":"https://json-schema.org/draft/2020-12/schema","enum":["C","F"]}}}`),
	}, {
		Name:        "screenshot",
		Description: "Capture the screen.",
	}},
	ToolChoice: llm.ToolChoice{Function: "get_weather"},
	Options: llm.Options{
		Temperature:     ptr(0.5),
		TopP:            ptr(0.9),
		MaxTokens:       ptr(1000),
		Seed:            ptr(7),
		Stop:            []string{"END"},
		ResponseFormat:  &llm.ResponseFormat{Schema: json.RawMessage(`{"$schema":"x","type":"object"}`)},
		IncludeThoughts: true,
		BuiltinTools:    []string{"code_execution"},
	},
}

// wantBody is what the Gemini API must receive for fullRequest: roles only
// user and model, all function responses of a turn in one content in call
// order, signatures and ids echoed, schemas without $schema.
const wantBody = `{
  "contents": [
    {"role": "user", "parts": [
      {"text": "What is in these?"},
      {"inlineData": {"mimeType": "image/png", "data": "UE5H"}},
      {"inlineData": {"mimeType": "application/pdf", "data": "UERG"}}]},
    {"role": "model", "parts": [
      {"text": "Let me look."},
      {"functionCall": {"id": "g1", "name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "c2lnLWE="},
      {"functionCall": {"id": "g2", "name": "screenshot"}}]},
    {"role": "user", "parts": [
      {"functionResponse": {"id": "g1", "name": "get_weather", "response": {"output": {"temp": 21}}}},
      {"functionResponse": {"id": "g2", "name": "screenshot", "response": {"output": "captured"},
        "parts": [{"inlineData": {"mimeType": "image/png", "data": "SU1H"}}]}}]},
    {"role": "model", "parts": [
      {"functionCall": {"name": "get_weather", "args": {"city": "Oslo"}}, "thoughtSignature": "c2lnLWM="}]},
    {"role": "user", "parts": [
      {"functionResponse": {"name": "get_weather", "response": {"error": "city not found"}}}]},
    {"role": "user", "parts": [{"text": "Thanks."}]}
  ],
  "systemInstruction": {"parts": [{"text": "You are helpful."}, {"text": "Answer briefly."}]},
  "tools": [
    {"functionDeclarations": [
      {"name": "get_weather", "description": "Weather of a city.", "parametersJsonSchema": {
        "type": "object", "properties": {"city": {"type": "string"}, "unit": {"$ref": "#/$defs/unit"}},
        "required": ["city"], "$defs": {"unit": {"enum": ["C", "F"]}}}},
      {"name": "screenshot", "description": "Capture the screen."}]},
    {"codeExecution": {}}
  ],
  "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}},
  "generationConfig": {
    "temperature": 0.5, "topP": 0.9, "maxOutputTokens": 1000, "seed": 7, "stopSequences": ["END"],
    "responseMimeType": "application/json", "responseJsonSchema": {"type": "object"},
    "thinkingConfig": {"includeThoughts": true}
  }
}`

func TestRequestMapping(t *testing.T) {
	for _, vertex := range []bool{false, true} {
		name := "gemini-api"
		if vertex {
			name = "vertex"
		}
		t.Run(name, func(t *testing.T) {
			got := captureRequest(t, vertex, fullRequest)
			var want any
			if err := json.Unmarshal([]byte(wantBody), &want); err != nil {
				t.Fatal(err)
			}
			// genai adds a role to the system instruction on one backend;
			// Gemini ignores it.
			delete(got["systemInstruction"].(map[string]any), "role")
			if diff := cmp.Diff(want, any(got)); diff != "" {
				t.Errorf("request body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestToolChoice(t *testing.T) {
	tool := llm.Tool{Name: "f", Parameters: json.RawMessage(`{"type":"object"}`)}
	tests := []struct {
		choice llm.ToolChoice
		tools  []llm.Tool
		want   string
	}{
		{llm.ToolChoice{}, []llm.Tool{tool}, `{"functionCallingConfig":{"mode":"AUTO"}}`},
		{llm.ToolChoice{Mode: llm.ToolChoiceNone}, []llm.Tool{tool}, `{"functionCallingConfig":{"mode":"NONE"}}`},
		{llm.ToolChoice{Mode: llm.ToolChoiceRequired}, []llm.Tool{tool}, `{"functionCallingConfig":{"mode":"ANY"}}`},
		{llm.ToolChoice{Mode: llm.ToolChoiceRequired}, nil, `null`}, // nothing to choose from
	}
	for _, tt := range tests {
		req := *hello
		req.ToolChoice, req.Tools = tt.choice, tt.tools
		got, _ := json.Marshal(captureRequest(t, false, &req)["toolConfig"])
		if string(got) != tt.want {
			t.Errorf("tool choice %+v: toolConfig %s, want %s", tt.choice, got, tt.want)
		}
	}
}

func TestBuiltinTools(t *testing.T) {
	req := *hello
	req.Options.BuiltinTools = []string{"google_search", "google_search_retrieval", "code_execution"}
	got, _ := json.Marshal(captureRequest(t, true, &req)["tools"])
	want := `[{"googleSearch":{}},{"googleSearchRetrieval":{}},{"codeExecution":{}}]`
	if string(got) != want {
		t.Errorf("tools %s, want %s", got, want)
	}

	req.Options.BuiltinTools = []string{"web_browser"}
	if _, err := collect(newProvider(t, &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "k", HTTPOptions: genai.HTTPOptions{BaseURL: "http://127.0.0.1:1"}}).Stream(context.Background(), &req)); err == nil {
		t.Error("an unknown builtin tool was accepted")
	}
}

func TestInvalidRequests(t *testing.T) {
	p := newProvider(t, &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "k", HTTPOptions: genai.HTTPOptions{BaseURL: "http://127.0.0.1:1"}})
	tests := map[string][]llm.Message{
		"bad arguments":     {{Role: llm.RoleAssistant, Parts: []llm.Part{{ToolCall: &llm.ToolCall{ID: "c", Name: "f", Arguments: json.RawMessage(`[1]`)}}}}},
		"nameless result":   {{Role: llm.RoleTool, Parts: []llm.Part{{ToolResult: &llm.ToolResult{CallID: "unknown", Content: "x"}}}}},
		"text in tool role": {{Role: llm.RoleTool, Parts: []llm.Part{{Text: "x"}}}},
		"unknown role":      {{Role: "system", Parts: []llm.Part{{Text: "x"}}}},
	}
	for name, msgs := range tests {
		_, err := collect(p.Stream(context.Background(), &llm.Request{Model: "gemini-test", Messages: msgs}))
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// captureRequest sends req and returns the JSON body the server received.
func captureRequest(t *testing.T, vertex bool, req *llm.Request) map[string]any {
	t.Helper()
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte("data: " + okText + "\n\n"))
	}))
	defer srv.Close()
	b := &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "k", HTTPClient: srv.Client(), HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL}}
	if vertex {
		b = &genai.ClientConfig{Backend: genai.BackendVertexAI, Project: "p", Location: "l", HTTPClient: srv.Client(), HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL}}
	}
	if _, err := collect(newProvider(t, b).Stream(context.Background(), req)); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("decoding request body %s: %v", body, err)
	}
	return got
}
