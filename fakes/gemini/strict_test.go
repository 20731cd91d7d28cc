package fakegemini

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const (
	vertexPath = "/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent"
	geminiPath = "/v1beta/models/gemini-2.5-flash:generateContent"
)

// post sends body to h and returns the status and the decoded Google error
// (zero when the call succeeded).
func post(t *testing.T, h http.Handler, path, body string) (int, Error) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("x-goog-api-key", "k")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var e struct{ Error Error }
	if rec.Code != http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
			t.Fatalf("status %d with a body that is not a Google error: %q", rec.Code, rec.Body)
		}
	}
	return rec.Code, e.Error
}

func answer(text string) Responder {
	return ResponderFunc(func(context.Context, *Request) (*Turn, error) {
		return &Turn{Chunks: []Chunk{Text(text)}}, nil
	})
}

func TestStrictRules(t *testing.T) {
	const hi = `{"role":"user","parts":[{"text":"hi"}]}`
	const call = `{"role":"model","parts":[{"functionCall":{"name":"LS","args":{"path":"/"},"id":"a"}}]}`
	tool := func(decl string) string {
		return `{"contents":[` + hi + `],"tools":[{"functionDeclarations":[` + decl + `]}]}`
	}
	tests := []struct {
		name, path, body string
		want             string // substring of the 400 message; "" means accepted
	}{
		{"plain request", vertexPath, `{"contents":[` + hi + `]}`, ""},
		{"all common genai fields", vertexPath, `{"contents":[` + hi + `],"systemInstruction":{"role":"user","parts":[{"text":"be brief"}]},` +
			`"generationConfig":{"temperature":0.2,"topP":0.9,"maxOutputTokens":100,"stopSequences":["x"],"thinkingConfig":{"includeThoughts":true,"thinkingBudget":-1},"responseMimeType":"text/plain","seed":1},` +
			`"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["LS"]}},"safetySettings":[{"category":"HARM_CATEGORY_HATE_SPEECH","threshold":"BLOCK_NONE"}],"labels":{"a":"b"}}`, ""},
		{"empty contents", vertexPath, `{"contents":[]}`, "contents is not specified"},
		{"role assistant", vertexPath, `{"contents":[{"role":"assistant","parts":[{"text":"x"}]}]}`, "Please use a valid role: user, model."},
		{"role system", geminiPath, `{"contents":[{"role":"system","parts":[{"text":"x"}]}]}`, "valid role"},
		{"missing role on vertex", vertexPath, `{"contents":[{"parts":[{"text":"x"}]}]}`, "valid role"},
		{"missing role on gemini", geminiPath, `{"contents":[{"parts":[{"text":"x"}]}]}`, ""},
		{"empty parts", vertexPath, `{"contents":[{"role":"user","parts":[]}]}`, "parts must not be empty"},
		{"unknown top-level field", vertexPath, `{"contents":[` + hi + `],"stream":true}`, `unknown field "stream"`},
		{"unknown part field", vertexPath, `{"contents":[{"role":"user","parts":[{"txt":"x"}]}]}`, `unknown field "txt"`},
		{"snake_case field", vertexPath, `{"contents":[` + hi + `],"generation_config":{}}`, `unknown field "generation_config"`},
		{"not JSON", vertexPath, `hello`, "Invalid JSON payload"},
		{"response without call", vertexPath, `{"contents":[` + hi + `,{"role":"user","parts":[{"functionResponse":{"name":"LS","response":{}}}]}]}`, "immediately after a function call turn"},
		{"response after call", vertexPath, `{"contents":[` + hi + `,` + call + `,{"role":"user","parts":[{"functionResponse":{"name":"LS","id":"a","response":{"output":"x"}}}]}]}`, ""},
		{"response by name", vertexPath, `{"contents":[` + hi + `,` + call + `,{"role":"user","parts":[{"functionResponse":{"name":"LS","response":{"output":"x"}}}]}]}`, ""},
		{"response wrong id", vertexPath, `{"contents":[` + hi + `,` + call + `,{"role":"user","parts":[{"functionResponse":{"name":"LS","id":"b","response":{}}}]}]}`, `id "b" (LS) answers no functionCall`},
		{"response wrong name by id", vertexPath, `{"contents":[` + hi + `,` + call + `,{"role":"user","parts":[{"functionResponse":{"name":"View","id":"a","response":{}}}]}]}`, `is named "View" but its functionCall is named "LS"`},
		{"response wrong name", vertexPath, `{"contents":[` + hi + `,` + call + `,{"role":"user","parts":[{"functionResponse":{"name":"View","response":{}}}]}]}`, `"View" answers no functionCall`},
		{"response missing", vertexPath, `{"contents":[` + hi + `,{"role":"model","parts":[{"functionCall":{"name":"LS"}},{"functionCall":{"name":"View"}}]},{"role":"user","parts":[{"functionResponse":{"name":"LS","response":{}}}]}]}`, "number of function response parts is equal"},
		{"OpenAPI parameters", vertexPath, tool(`{"name":"LS","parameters":{"type":"OBJECT","properties":{"path":{"type":"STRING","description":"d"},"n":{"type":"integer","minimum":0}},"required":["path"]}}`), ""},
		{"$schema in parameters", vertexPath, tool(`{"name":"LS","parameters":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}}`), `Unknown name "$schema" at 'tools[0].functionDeclarations[0].parameters'`},
		{"$ref in parameters", vertexPath, tool(`{"name":"LS","parameters":{"type":"object","properties":{"p":{"$ref":"#/$defs/P"}}}}`), `Unknown name "$ref" at 'tools[0].functionDeclarations[0].parameters.properties.p'`},
		{"$defs in parameters", vertexPath, tool(`{"name":"LS","parameters":{"type":"object","$defs":{}}}`), `Unknown name "$defs"`},
		{"additionalProperties in parameters", vertexPath, tool(`{"name":"LS","parameters":{"type":"object","additionalProperties":false}}`), `Unknown name "additionalProperties"`},
		{"const in items", vertexPath, tool(`{"name":"LS","parameters":{"type":"array","items":{"const":1}}}`), `Unknown name "const" at 'tools[0].functionDeclarations[0].parameters.items'`},
		{"exclusiveMinimum in anyOf", vertexPath, tool(`{"name":"LS","parameters":{"anyOf":[{"type":"number","exclusiveMinimum":0}]}}`), `Unknown name "exclusiveMinimum" at 'tools[0].functionDeclarations[0].parameters.anyOf[0]'`},
		{"exclusiveMaximum in parameters", vertexPath, tool(`{"name":"LS","parameters":{"type":"number","exclusiveMaximum":9}}`), `Unknown name "exclusiveMaximum"`},
		{"type array in parameters", vertexPath, tool(`{"name":"LS","parameters":{"type":["string","null"]}}`), `Invalid value at 'tools[0].functionDeclarations[0].parameters.type'`},
		{"JSON schema", vertexPath, tool(`{"name":"LS","parametersJsonSchema":{"type":"object","additionalProperties":false,"properties":{"p":{"$ref":"#/$defs/P"}},"$defs":{"P":{"type":"string","const":"x"}}}}`), ""},
		{"$schema in JSON schema", vertexPath, tool(`{"name":"LS","parametersJsonSchema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}}`), `"$schema" is not supported at 'tools[0].functionDeclarations[0].parametersJsonSchema'`},
		{"both schemas", vertexPath, tool(`{"name":"LS","parameters":{"type":"OBJECT"},"parametersJsonSchema":{"type":"object"}}`), "mutually exclusive"},
		{"bad function name", vertexPath, tool(`{"name":"1LS"}`), "invalid function name"},
		{"duplicate function", vertexPath, tool(`{"name":"LS"},{"name":"LS"}`), "duplicate function declaration"},
		{"unknown declaration field", vertexPath, tool(`{"name":"LS","strict":true}`), `unknown field "strict"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, e := post(t, New(answer("ok"), nil), tc.path, tc.body)
			if tc.want == "" {
				if code != http.StatusOK {
					t.Fatalf("got %d %s: %s, want 200", code, e.Status, e.Message)
				}
				return
			}
			if code != http.StatusBadRequest || e.Code != 400 || e.Status != "INVALID_ARGUMENT" || !strings.Contains(e.Message, tc.want) {
				t.Errorf("got %d %+v, want 400 INVALID_ARGUMENT containing %q", code, e, tc.want)
			}
		})
	}
}

func TestSignatureRules(t *testing.T) {
	signed := ResponderFunc(func(_ context.Context, req *Request) (*Turn, error) {
		return &Turn{Chunks: []Chunk{{Parts: []*Part{
			{FunctionCall: &FunctionCall{Name: "LS", Args: map[string]any{"path": "/"}}, ThoughtSignature: "c2lnLTE="},
			{FunctionCall: &FunctionCall{Name: "View", Args: map[string]any{"file_path": "/a"}}},
		}}}}, nil
	})
	s := New(signed, nil)
	hi := `{"role":"user","parts":[{"text":"hi"}]}`
	if code, e := post(t, s, vertexPath, `{"contents":[`+hi+`]}`); code != 200 {
		t.Fatalf("first call: %d %+v", code, e)
	}
	history := func(lsPart string) string {
		return `{"contents":[` + hi + `,{"role":"model","parts":[` + lsPart + `,{"functionCall":{"name":"View","args":{"file_path":"/a"}}}]},` +
			`{"role":"user","parts":[{"functionResponse":{"name":"LS","response":{}}},{"functionResponse":{"name":"View","response":{}}}]}]}`
	}
	tests := []struct {
		name, part, want string
	}{
		{"echoed", `{"functionCall":{"name":"LS","args":{"path":"/"}},"thoughtSignature":"c2lnLTE="}`, ""},
		{"missing", `{"functionCall":{"name":"LS","args":{"path":"/"}}}`, "Function call is missing a thought_signature"},
		{"altered", `{"functionCall":{"name":"LS","args":{"path":"/"}},"thoughtSignature":"c2lnLTI="}`, "Corrupted thought signature"},
		{"moved to another part", `{"functionCall":{"name":"LS","args":{"path":"/"}}},{"text":"","thoughtSignature":"c2lnLTE="}`, "missing a thought_signature"},
		{"a call the server never made", `{"functionCall":{"name":"LS","args":{"path":"/other"}}}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, e := post(t, s, vertexPath, history(tc.part))
			switch {
			case tc.want == "" && code != 200:
				t.Errorf("got %d %+v, want 200", code, e)
			case tc.want != "" && (code != 400 || !strings.Contains(e.Message, tc.want)):
				t.Errorf("got %d %+v, want 400 containing %q", code, e, tc.want)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	tests := []struct {
		method, path string
		key          bool
		want         int
	}{
		{"POST", vertexPath, false, 200},
		{"POST", "/v1/projects/p/locations/l/publishers/google/models/m:generateContent", false, 200},
		{"POST", "/v1beta1/publishers/google/models/m:streamGenerateContent?alt=sse", false, 200},
		{"POST", geminiPath, true, 200},
		{"POST", "/v1/models/m:streamGenerateContent", true, 200},
		{"POST", geminiPath, false, 403},
		{"GET", geminiPath, true, 404},
		{"POST", "/v1beta/models/m:countTokens", true, 404},
		{"POST", "/v1beta1/projects/p/locations/l/publishers/google/models/m", false, 404},
		{"POST", "/v2/models/m:generateContent", true, 404},
		{"POST", "/", true, 404},
	}
	s := New(answer("ok"), nil)
	for _, tc := range tests {
		req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(`{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`))
		if tc.key {
			req.Header.Set("x-goog-api-key", "k")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s %s: got %d, want %d: %s", tc.method, tc.path, rec.Code, tc.want, rec.Body)
		}
		if rec.Code != 200 && !strings.Contains(rec.Body.String(), `"status":"`) {
			t.Errorf("%s %s: body is not a Google error: %s", tc.method, tc.path, rec.Body)
		}
	}
}

func TestAPIKeyOption(t *testing.T) {
	s := New(answer("ok"), &Options{APIKey: "right"})
	req := httptest.NewRequest("POST", geminiPath, strings.NewReader(`{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`))
	req.Header.Set("x-goog-api-key", "wrong")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "API key not valid") {
		t.Errorf("wrong key: got %d %s", rec.Code, rec.Body)
	}
}
