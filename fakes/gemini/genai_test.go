package fakegemini_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"google.golang.org/genai"
)

// backends are the two ways genai reaches the fake.
var backends = []struct {
	name   string
	config func(baseURL string, hc *http.Client) *genai.ClientConfig
}{
	{"vertex", func(u string, hc *http.Client) *genai.ClientConfig {
		return &genai.ClientConfig{Backend: genai.BackendVertexAI, Project: "proj", Location: "us-central1",
			HTTPClient: hc, HTTPOptions: genai.HTTPOptions{BaseURL: u}}
	}},
	{"gemini", func(u string, hc *http.Client) *genai.ClientConfig {
		return &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "test-key",
			HTTPClient: hc, HTTPOptions: genai.HTTPOptions{BaseURL: u}}
	}},
}

func newClient(t *testing.T, cfg *genai.ClientConfig) *genai.Client {
	t.Helper()
	c, err := genai.NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatalf("genai.NewClient: %v", err)
	}
	return c
}

func parse(t *testing.T, text string) *fakegemini.Scenario {
	t.Helper()
	sc, err := fakegemini.ParseScenario(t.Name()+".txtar", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// collect drains a stream, returning the chunks and the first error.
func collect(ctx context.Context, c *genai.Client, contents []*genai.Content, cfg *genai.GenerateContentConfig) ([]*genai.GenerateContentResponse, error) {
	var out []*genai.GenerateContentResponse
	for r, err := range c.Models.GenerateContentStream(ctx, "gemini-2.5-flash", contents, cfg) {
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// parts concatenates the parts of every chunk.
func parts(chunks []*genai.GenerateContentResponse) []*genai.Part {
	var out []*genai.Part
	for _, c := range chunks {
		if len(c.Candidates) > 0 && c.Candidates[0].Content != nil {
			out = append(out, c.Candidates[0].Content.Parts...)
		}
	}
	return out
}

func lsTool() []*genai.Tool {
	return []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{
		Name:        "LS",
		Description: "List a directory",
		ParametersJsonSchema: map[string]any{
			"type":       "object",
			"properties": map[string]any{"path": map[string]any{"type": "string"}},
			"required":   []string{"path"},
		},
	}}}}
}

func TestGenAIToolLoop(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			sc, err := fakegemini.LoadScenario("testdata/tool-loop.txtar")
			if err != nil {
				t.Fatal(err)
			}
			ts := fakegemini.NewTestServer(t, sc)
			c := newClient(t, b.config(ts.URL, ts.HTTPClient()))
			ctx := context.Background()
			cfg := &genai.GenerateContentConfig{Tools: lsTool()}
			history := []*genai.Content{genai.NewContentFromText("please list /tmp", genai.RoleUser)}

			chunks, err := collect(ctx, c, history, cfg)
			if err != nil {
				t.Fatalf("turn 1: %v", err)
			}
			if len(chunks) != 3 {
				t.Errorf("turn 1: got %d chunks, want 3 (thought, text, call)", len(chunks))
			}
			got := parts(chunks)
			calls := 0
			for _, p := range got {
				if p.FunctionCall != nil {
					calls++
					if p.FunctionCall.Name != "LS" || p.FunctionCall.Args["path"] != "/tmp" || p.FunctionCall.ID != "call-1" {
						t.Errorf("call = %+v", p.FunctionCall)
					}
					if len(p.ThoughtSignature) == 0 {
						t.Error("call has no thought signature")
					}
				}
			}
			if calls != 1 {
				t.Fatalf("got %d calls, want 1", calls)
			}
			last := chunks[len(chunks)-1]
			if fr := last.Candidates[0].FinishReason; fr != genai.FinishReasonStop {
				t.Errorf("finish reason = %q, want STOP", fr)
			}
			if u := last.UsageMetadata; u == nil || u.PromptTokenCount != 12 || u.CandidatesTokenCount != 8 || u.ThoughtsTokenCount != 7 || u.TotalTokenCount != 27 {
				t.Errorf("usage = %+v", u)
			}
			if last.ResponseID == "" || last.ModelVersion != "gemini-2.5-flash" {
				t.Errorf("responseId %q modelVersion %q", last.ResponseID, last.ModelVersion)
			}

			history = append(history,
				&genai.Content{Role: genai.RoleModel, Parts: got},
				genai.NewContentFromFunctionResponse("LS", map[string]any{"output": "a b"}, genai.RoleUser))
			history[2].Parts[0].FunctionResponse.ID = "call-1"
			chunks, err = collect(ctx, c, history, cfg)
			if err != nil {
				t.Fatalf("turn 2: %v", err)
			}
			var text strings.Builder
			for _, p := range parts(chunks) {
				text.WriteString(p.Text)
			}
			if text.String() != "The folder holds two files." {
				t.Errorf("turn 2 text = %q", text.String())
			}
		})
	}
}

func TestGenAISignatureRoundTrip(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ts := fakegemini.NewTestServer(t, parse(t, `
-- call --
call LS {"path": "/tmp"} sig=auto
-- refused without the signature --
expect refused 400 missing a thought_signature
-- refused with another one --
expect refused 400 Corrupted thought signature
-- answer, once the signature is echoed --
text unreachable
`))
			c := newClient(t, b.config(ts.URL, ts.HTTPClient()))
			ctx := context.Background()
			cfg := &genai.GenerateContentConfig{Tools: lsTool()}
			history := []*genai.Content{genai.NewContentFromText("list /tmp", genai.RoleUser)}
			chunks, err := collect(ctx, c, history, cfg)
			if err != nil {
				t.Fatal(err)
			}
			call := parts(chunks)[0]
			for _, tc := range []struct {
				name string
				sig  []byte
				want string
			}{
				{"missing", nil, "missing a thought_signature"},
				{"altered", append([]byte("x"), call.ThoughtSignature...), "Corrupted thought signature"},
			} {
				stripped := *call
				stripped.ThoughtSignature = tc.sig
				h := append(history,
					&genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{&stripped}},
					genai.NewContentFromFunctionResponse("LS", map[string]any{"output": "a"}, genai.RoleUser))
				_, err = collect(ctx, c, h, cfg)
				var apiErr genai.APIError
				if !errors.As(err, &apiErr) || apiErr.Code != 400 || apiErr.Status != "INVALID_ARGUMENT" || !strings.Contains(apiErr.Message, tc.want) {
					t.Errorf("%s signature: err = %v, want 400 INVALID_ARGUMENT %q", tc.name, err, tc.want)
				}
			}
			// With the signature the request is accepted.
			h := append(history,
				&genai.Content{Role: genai.RoleModel, Parts: []*genai.Part{call}},
				genai.NewContentFromFunctionResponse("LS", map[string]any{"output": "a"}, genai.RoleUser))
			if _, err := collect(ctx, c, h, cfg); err != nil {
				t.Fatalf("with signature: %v", err)
			}
		})
	}
}
