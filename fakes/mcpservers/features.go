package mcpservers

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The correct server's optional features, each done as the specification
// asks, so that the checks of each advertised capability run on it.

// zooTools are the tools of the correct server.
func zooTools() []string { return []string{"echo", "slow", "convert", "summarize", "confirm"} }

// A variant of the correct server breaks one of its features.
type variant struct {
	careless   bool // the client tools ask without the client's capability
	brokenPath bool // convert breaks its outputSchema for one unit
}

// zooIcon is a one-pixel PNG, as a data: URI.
func zooIcon() mcp.Icon {
	return mcp.Icon{
		Source:   "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
		MIMEType: "image/png",
		Sizes:    []string{"1x1"},
	}
}

// zooInfo is the correct server's identity, with the display fields of
// 2025-11-25.
func zooInfo() *mcp.Implementation {
	return &mcp.Implementation{Name: "zoo", Title: "The zoo", Version: "v1", WebsiteURL: "https://example.com/zoo", Icons: []mcp.Icon{zooIcon()}}
}

// zooOptions gives the correct server completions and resource
// subscriptions.
func zooOptions() *mcp.ServerOptions {
	return &mcp.ServerOptions{
		CompletionHandler:  completeGreet,
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	}
}

// completeGreet completes the argument "who" of the prompt greet.
func completeGreet(_ context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
	var values []string
	if req.Params.Ref != nil && req.Params.Ref.Type == "ref/prompt" && req.Params.Ref.Name == "greet" && req.Params.Argument.Name == "who" {
		for _, v := range []string{"ada", "alan", "grace"} {
			if strings.HasPrefix(v, req.Params.Argument.Value) {
				values = append(values, v)
			}
		}
	}
	return &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{Values: append([]string{}, values...), Total: len(values)}}, nil
}

type summarizeIn struct {
	Text string `json:"text" jsonschema:"the text to summarize"`
}

type confirmIn struct {
	Question string `json:"question" jsonschema:"what to ask the user"`
}

// confirmSchema is what confirm asks the user for.
const confirmSchema = `{"type":"object","properties":{"ok":{"type":"boolean","description":"yes or no"}},"required":["ok"]}`

// addClientTools adds the tools that need a client capability: summarize
// samples the client's model, confirm elicits an answer from the user.
// Each first checks that the client declared the capability; with
// careless set it asks anyway, which is the undeclared-capability defect.
func addClientTools(s *mcp.Server, careless bool) {
	caps := func(req *mcp.CallToolRequest) *mcp.ClientCapabilities {
		if p := req.Session.InitializeParams(); p != nil && p.Capabilities != nil {
			return p.Capabilities
		}
		return &mcp.ClientCapabilities{}
	}
	refuse := func(what string) *mcp.CallToolResult {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "the client does not offer " + what}}, IsError: true}
	}
	mcp.AddTool(s, &mcp.Tool{Name: "summarize", Description: "summarizes text with the client's model"},
		func(ctx context.Context, req *mcp.CallToolRequest, in summarizeIn) (*mcp.CallToolResult, any, error) {
			if caps(req).Sampling == nil && !careless {
				return refuse("sampling"), nil, nil
			}
			res, err := req.Session.CreateMessage(ctx, &mcp.CreateMessageParams{
				Messages:  []*mcp.SamplingMessage{{Role: "user", Content: &mcp.TextContent{Text: "Summarize: " + in.Text}}},
				MaxTokens: 100,
			})
			if err != nil {
				return nil, nil, err
			}
			text, _ := res.Content.(*mcp.TextContent)
			if text == nil {
				text = &mcp.TextContent{}
			}
			return &mcp.CallToolResult{Content: []mcp.Content{text}}, nil, nil
		})
	mcp.AddTool(s, &mcp.Tool{Name: "confirm", Description: "asks the user a yes or no question"},
		func(ctx context.Context, req *mcp.CallToolRequest, in confirmIn) (*mcp.CallToolResult, any, error) {
			if c := caps(req).Elicitation; (c == nil || c.Form == nil && c.URL != nil) && !careless {
				return refuse("form elicitation"), nil, nil
			}
			res, err := req.Session.Elicit(ctx, &mcp.ElicitParams{Message: in.Question, RequestedSchema: json.RawMessage(confirmSchema)})
			if err != nil {
				return nil, nil, err
			}
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "the user chose " + res.Action}}}, nil, nil
		})
}

// The schemas of convert: an enum and bounds, so that more than one
// argument set reaches it.
const (
	convertIn  = `{"type":"object","properties":{"celsius":{"type":"number","minimum":-273.15,"maximum":1000},"to":{"type":"string","enum":["kelvin","fahrenheit"]}},"required":["celsius"],"additionalProperties":false}`
	convertOut = `{"type":"object","properties":{"value":{"type":"number"},"unit":{"type":"string"}},"required":["value","unit"]}`
)

// addConvert adds convert, which converts a temperature; broken, its
// structured result gives the unit fahrenheit as a number.
func addConvert(s *mcp.Server, broken bool) {
	s.AddTool(&mcp.Tool{Name: "convert", Description: "converts degrees Celsius to kelvin or fahrenheit", InputSchema: json.RawMessage(convertIn), OutputSchema: json.RawMessage(convertOut)},
		func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			var in struct {
				Celsius *float64 `json:"celsius"`
				To      string   `json:"to"`
			}
			if json.Unmarshal(req.Params.Arguments, &in) != nil || in.Celsius == nil {
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "celsius is required"}}, IsError: true}, nil
			}
			out := map[string]any{"value": *in.Celsius + 273.15, "unit": "kelvin"}
			if in.To == "fahrenheit" {
				out = map[string]any{"value": *in.Celsius*9/5 + 32, "unit": "fahrenheit"}
				if broken {
					out["unit"] = 212
				}
			}
			text, _ := json.Marshal(out)
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(text)}}, StructuredContent: out}, nil
		})
}
