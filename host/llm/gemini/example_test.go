package gemini_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/gemini"
)

func ExampleProvider_Stream() {
	// A stand-in for the Gemini API: one function call, as Gemini streams it.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `data: {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2ln"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":5,"totalTokenCount":17}}`+"\n\n")
	}))
	defer srv.Close()

	ctx := context.Background()
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		Backend:     genai.BackendGeminiAPI,
		APIKey:      "key",
		HTTPClient:  srv.Client(),
		HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL},
	})
	if err != nil {
		panic(err)
	}
	p := gemini.NewProvider(gemini.Config{Client: client, Models: []string{"gemini-2.5-flash"}},
		&gemini.Options{NewCallID: func() string { return "call_1" }})

	req := &llm.Request{
		Model:    "gemini-2.5-flash",
		Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: "Weather in Paris?"}}}},
		Tools:    []llm.Tool{{Name: "get_weather", Parameters: []byte(`{"type":"object","properties":{"city":{"type":"string"}}}`)}},
	}
	for d, err := range p.Stream(ctx, req) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		for _, tc := range d.ToolCalls {
			fmt.Printf("call %s %s(%s) signature %q\n", tc.ID, tc.Name, tc.Arguments, tc.Signature)
		}
		if d.Finish != "" {
			fmt.Printf("finish %s, %d tokens\n", d.Finish, d.Usage.TotalTokens())
		}
	}
	// Output:
	// call call_1 get_weather({"city":"Paris"}) signature "sig"
	// finish tool_calls, 17 tokens
}
