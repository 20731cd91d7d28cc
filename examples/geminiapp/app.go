// Package geminiapp is a small app on Gemini: it asks for the weather of a
// city through a function the app runs itself.
package geminiapp

import (
	"context"
	"fmt"

	"google.golang.org/genai"
)

// Weather looks the weather up with the model's help: the model calls
// get_weather, the app answers with lookup, and the model says it.
func Weather(ctx context.Context, client *genai.Client, city string, lookup func(city string) string) (string, error) {
	cfg := &genai.GenerateContentConfig{Tools: []*genai.Tool{{FunctionDeclarations: []*genai.FunctionDeclaration{{
		Name:                 "get_weather",
		Description:          "The weather of a city today.",
		ParametersJsonSchema: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []any{"city"}},
	}}}}}
	history := []*genai.Content{genai.NewContentFromText("What is the weather in "+city+"?", genai.RoleUser)}
	for range 4 {
		resp, err := client.Models.GenerateContent(ctx, "gemini-2.5-flash", history, cfg)
		if err != nil {
			return "", fmt.Errorf("asking the model: %w", err)
		}
		calls := resp.FunctionCalls()
		if len(calls) == 0 {
			return resp.Text(), nil
		}
		// The model's turn goes back as it came, thought signatures included.
		history = append(history, resp.Candidates[0].Content)
		answer := &genai.Content{Role: genai.RoleUser}
		for _, c := range calls {
			city, _ := c.Args["city"].(string)
			answer.Parts = append(answer.Parts, &genai.Part{FunctionResponse: &genai.FunctionResponse{
				ID: c.ID, Name: c.Name, Response: map[string]any{"output": lookup(city)},
			}})
		}
		history = append(history, answer)
	}
	return "", fmt.Errorf("the model kept calling tools")
}
