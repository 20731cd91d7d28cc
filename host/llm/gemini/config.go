package gemini

import (
	"encoding/json"
	"fmt"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
)

// generateConfig maps the request's system instructions, tools, tool choice
// and options.
func generateConfig(req *llm.Request) (*genai.GenerateContentConfig, error) {
	cfg := &genai.GenerateContentConfig{}
	if len(req.System) > 0 {
		cfg.SystemInstruction = &genai.Content{}
		for _, s := range req.System {
			cfg.SystemInstruction.Parts = append(cfg.SystemInstruction.Parts, &genai.Part{Text: s})
		}
	}
	tools, err := tools(req.Tools, req.Options.BuiltinTools)
	if err != nil {
		return nil, err
	}
	cfg.Tools = tools
	if len(req.Tools) > 0 {
		cfg.ToolConfig = &genai.ToolConfig{FunctionCallingConfig: functionCalling(req.ToolChoice)}
	}
	if err := setOptions(cfg, req.Options); err != nil {
		return nil, err
	}
	return cfg, nil
}

// tools declares the functions in one genai.Tool and each builtin tool in
// its own, the shape Gemini expects.
//
// Gemini may reject some mixes of builtin tools with function declarations,
// depending on the model; the mix is sent as asked and the service's 400
// reaches the caller as an *llm.Error.
func tools(fns []llm.Tool, builtins []string) ([]*genai.Tool, error) {
	var out []*genai.Tool
	if len(fns) > 0 {
		t := &genai.Tool{}
		for _, f := range fns {
			schema, err := jsonSchema(f.Parameters)
			if err != nil {
				return nil, fmt.Errorf("parameters of tool %s: %w", f.Name, err)
			}
			fd := &genai.FunctionDeclaration{Name: f.Name, Description: f.Description}
			if schema != nil { // a nil map in the interface would be sent as null
				fd.ParametersJsonSchema = schema
			}
			t.FunctionDeclarations = append(t.FunctionDeclarations, fd)
		}
		out = append(out, t)
	}
	for _, name := range builtins {
		t := &genai.Tool{}
		switch name {
		case "code_execution":
			t.CodeExecution = &genai.ToolCodeExecution{}
		case "google_search":
			t.GoogleSearch = &genai.GoogleSearch{}
		case "google_search_retrieval":
			t.GoogleSearchRetrieval = &genai.GoogleSearchRetrieval{}
		default:
			return nil, fmt.Errorf("unknown builtin tool %q", name)
		}
		out = append(out, t)
	}
	return out, nil
}

// jsonSchema decodes a JSON Schema for Gemini's parametersJsonSchema or
// responseJsonSchema, without the "$schema" keyword, which Gemini rejects,
// at the top and in the definitions. Empty means no schema.
func jsonSchema(raw json.RawMessage) (map[string]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		return nil, fmt.Errorf("decoding JSON schema: %w", err)
	}
	delete(schema, "$schema")
	for _, key := range []string{"$defs", "definitions"} {
		defs, _ := schema[key].(map[string]any)
		for _, d := range defs {
			if d, ok := d.(map[string]any); ok {
				delete(d, "$schema")
			}
		}
	}
	return schema, nil
}

// functionCalling maps the OpenAI tool choice.
func functionCalling(tc llm.ToolChoice) *genai.FunctionCallingConfig {
	switch {
	case tc.Function != "":
		return &genai.FunctionCallingConfig{
			Mode:                 genai.FunctionCallingConfigModeAny,
			AllowedFunctionNames: []string{tc.Function},
		}
	case tc.Mode == llm.ToolChoiceNone:
		return &genai.FunctionCallingConfig{Mode: genai.FunctionCallingConfigModeNone}
	case tc.Mode == llm.ToolChoiceRequired:
		return &genai.FunctionCallingConfig{Mode: genai.FunctionCallingConfigModeAny}
	}
	return &genai.FunctionCallingConfig{Mode: genai.FunctionCallingConfigModeAuto}
}

// setOptions maps the sampling and output options.
func setOptions(cfg *genai.GenerateContentConfig, o llm.Options) error {
	if o.Temperature != nil {
		cfg.Temperature = genai.Ptr(float32(*o.Temperature))
	}
	if o.TopP != nil {
		cfg.TopP = genai.Ptr(float32(*o.TopP))
	}
	if o.MaxTokens != nil {
		cfg.MaxOutputTokens = int32(*o.MaxTokens)
	}
	if o.Seed != nil {
		cfg.Seed = genai.Ptr(int32(*o.Seed))
	}
	cfg.StopSequences = o.Stop
	if o.ResponseFormat != nil {
		cfg.ResponseMIMEType = "application/json"
		schema, err := jsonSchema(o.ResponseFormat.Schema)
		if err != nil {
			return fmt.Errorf("response format: %w", err)
		}
		if schema != nil {
			cfg.ResponseJsonSchema = schema
		}
	}
	if o.IncludeThoughts {
		cfg.ThinkingConfig = &genai.ThinkingConfig{IncludeThoughts: true}
	}
	return nil
}
