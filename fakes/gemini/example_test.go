package fakegemini_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/fakes/internal/stubtb"
	"google.golang.org/genai"
)

// runAsTest runs the body of a test as go test would, so that an example
// can show one.
func runAsTest(test func(t testing.TB)) { stubtb.Run(test) }

// A test of code that runs tools for Gemini, through the genai client: the
// fake model calls a function, then answers only once its result came
// back. The fake refuses what Vertex AI and the Gemini API refuse, and
// fails the test when it does.
func ExampleNewTestServer() {
	// The body of a test; t is its *testing.T.
	test := func(t testing.TB) {
		sc, err := fakegemini.ParseScenario("weather.txtar", []byte(`
-- ask for the weather --
expect tool get_weather
call get_weather {"city": "Paris"} id=call-1
-- answer --
expect response get_weather
text Sunny in Paris.
`))
		if err != nil {
			t.Fatal(err)
		}
		ts := fakegemini.NewTestServer(t, sc)

		client, err := genai.NewClient(t.Context(), &genai.ClientConfig{
			Backend:     genai.BackendGeminiAPI,
			APIKey:      "any key",
			HTTPClient:  ts.HTTPClient(),
			HTTPOptions: genai.HTTPOptions{BaseURL: ts.URL},
		})
		if err != nil {
			t.Fatal(err)
		}
		cfg := &genai.GenerateContentConfig{Tools: []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{
			Name:                 "get_weather",
			ParametersJsonSchema: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}},
		}}}}}
		history := []*genai.Content{genai.NewContentFromText("Weather in Paris?", genai.RoleUser)}

		resp, err := client.Models.GenerateContent(t.Context(), "gemini-2.5-flash", history, cfg)
		if err != nil {
			t.Fatal(err)
		}
		call := resp.FunctionCalls()[0]
		fmt.Println("call:", call.Name, call.Args["city"])
		result := genai.NewContentFromFunctionResponse(call.Name, map[string]any{"output": "sunny"}, genai.RoleUser)
		result.Parts[0].FunctionResponse.ID = call.ID
		history = append(history, resp.Candidates[0].Content, result)

		resp, err = client.Models.GenerateContent(t.Context(), "gemini-2.5-flash", history, cfg)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("answer:", resp.Text())
	}
	runAsTest(test)
	// Output:
	// call: get_weather Paris
	// answer: Sunny in Paris.
}

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
