package fakegemini_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"google.golang.org/genai"
)

// The offline model served in-process: genai reaches it with any base URL.
func ExampleOffline() {
	s := fakegemini.New(fakegemini.Offline(), nil)
	ctx := context.Background()
	c, err := genai.NewClient(ctx, &genai.ClientConfig{
		Backend:     genai.BackendGeminiAPI,
		APIKey:      "offline",
		HTTPClient:  s.Client(),
		HTTPOptions: genai.HTTPOptions{BaseURL: "http://offline.invalid"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := &genai.GenerateContentConfig{Tools: []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{
		Name: "sleep", ParametersJsonSchema: map[string]any{"type": "object", "properties": map[string]any{"seconds": map[string]any{"type": "number"}}},
	}}}}}
	resp, err := c.Models.GenerateContent(ctx, "gemini-2.5-flash", genai.Text("sleep 2 seconds"), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	call := resp.FunctionCalls()[0]
	fmt.Println(resp.Text())
	fmt.Println(call.Name, call.Args["seconds"])
	// Output:
	// Calling `sleep`.
	// sleep 2
}

func TestOfflineThroughGenAI(t *testing.T) {
	s := fakegemini.New(fakegemini.Offline(), nil)
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			c := newClient(t, b.config("http://offline.invalid", s.Client()))
			ctx := context.Background()
			cfg := &genai.GenerateContentConfig{
				Tools:          lsTool(),
				ThinkingConfig: &genai.ThinkingConfig{IncludeThoughts: true},
			}
			history := []*genai.Content{genai.NewContentFromText("Please list /tmp", genai.RoleUser)}
			chunks, err := collect(ctx, c, history, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(chunks) < 3 {
				t.Errorf("got %d chunks, want a thought, a text and a call", len(chunks))
			}
			got := parts(chunks)
			if !got[0].Thought {
				t.Errorf("first part is not a thought: %+v", got[0])
			}
			call := got[len(got)-1].FunctionCall
			if call == nil || call.Name != "LS" || call.Args["path"] != "/tmp" {
				t.Fatalf("last part = %+v, want a call to LS /tmp", got[len(got)-1])
			}
			resp := genai.NewContentFromFunctionResponse("LS", map[string]any{"output": "x.txt\ny.txt"}, genai.RoleUser)
			resp.Parts[0].FunctionResponse.ID = call.ID
			history = append(history, &genai.Content{Role: genai.RoleModel, Parts: got}, resp)
			chunks, err = collect(ctx, c, history, cfg)
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			for _, p := range parts(chunks) {
				text.WriteString(p.Text)
			}
			if !strings.Contains(text.String(), "```\nx.txt\ny.txt\n```") {
				t.Errorf("summary = %q", text.String())
			}
			if u := chunks[len(chunks)-1].UsageMetadata; u == nil || u.PromptTokenCount == 0 || u.CandidatesTokenCount == 0 {
				t.Errorf("usage = %+v", u)
			}

			// Dropping the signature the offline model issued is refused.
			got[len(got)-1].ThoughtSignature = nil
			if _, err := collect(ctx, c, history, cfg); err == nil || !strings.Contains(err.Error(), "thought_signature") {
				t.Errorf("without signature: err = %v", err)
			}
		})
	}
}
