package server

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/openai"
)

// toolSelection is what the model string "model|ToolA|ToolB" asks for.
type toolSelection struct {
	model string
	tools []string // nil means every tool
}

func parseModel(s string) toolSelection {
	name, rest, found := strings.Cut(s, "|")
	sel := toolSelection{model: strings.TrimSpace(name)}
	if found {
		sel.tools = []string{}
		for t := range strings.SplitSeq(rest, "|") {
			if t = strings.TrimSpace(t); t != "" {
				sel.tools = append(sel.tools, t)
			}
		}
	}
	return sel
}

// converter turns an OpenAI request into an llm.Request.
type converter struct {
	calls  map[string]llm.ToolCall // by OpenAI id, to name tool results
	legacy int                     // counts legacy function calls, to give them ids
}

func toLLMRequest(in *openai.ChatRequest, model string) (*llm.Request, error) {
	if len(in.Messages) == 0 {
		return nil, badRequest("messages", "messages must hold at least one message")
	}
	if len(in.Functions) > 0 && string(in.Functions) != "null" {
		return nil, badRequest("functions", `functions is the legacy form of tools: send "tools": [{"type": "function", "function": {...}}] instead`)
	}
	if len(in.FunctionCall) > 0 && string(in.FunctionCall) != "null" {
		return nil, badRequest("function_call", `function_call is the legacy form of tool_choice: send "tool_choice" ("auto", "none", "required" or {"type": "function", "function": {"name": ...}}) instead`)
	}
	if in.N != nil && *in.N != 1 {
		return nil, badRequest("n", "n must be 1: the host answers with one choice")
	}
	req := &llm.Request{Model: model}
	c := converter{calls: map[string]llm.ToolCall{}}
	for i := range in.Messages {
		if err := c.message(req, &in.Messages[i], i); err != nil {
			return nil, err
		}
	}
	if len(req.Messages) == 0 {
		return nil, badRequest("messages", "messages hold nothing for the model to answer: send a user message")
	}
	if err := options(req, in); err != nil {
		return nil, err
	}
	return req, nil
}

func (c *converter) message(req *llm.Request, m *openai.Message, i int) error {
	param := fmt.Sprintf("messages[%d]", i)
	switch m.Role {
	case "system", "developer":
		if s := m.Content.String(); s != "" {
			req.System = append(req.System, s)
		}
		return nil
	case "user":
		parts, err := userParts(m.Content, param)
		if err != nil {
			return err
		}
		if len(parts) == 0 {
			return badRequest(param+".content", "a user message needs content")
		}
		req.Messages = append(req.Messages, llm.Message{Role: llm.RoleUser, Parts: parts})
		return nil
	case "assistant":
		msg := llm.Message{Role: llm.RoleAssistant}
		if s := m.Content.String(); s != "" {
			msg.Parts = append(msg.Parts, llm.Part{Text: s})
		}
		calls := m.ToolCalls
		if m.FunctionCall != nil {
			c.legacy++
			calls = append(calls, openai.ToolCall{ID: "call_legacy_" + strconv.Itoa(c.legacy), Function: *m.FunctionCall})
		}
		for j, tc := range calls {
			call, err := toLLMCall(tc, fmt.Sprintf("%s.tool_calls[%d]", param, j))
			if err != nil {
				return err
			}
			c.calls[call.ID] = call
			msg.Parts = append(msg.Parts, llm.Part{ToolCall: &call})
		}
		if len(msg.Parts) == 0 {
			return nil // an empty assistant turn says nothing to the model
		}
		req.Messages = append(req.Messages, msg)
		return nil
	case "tool", "function":
		id := m.ToolCallID
		if m.Role == "function" {
			id = c.lastLegacy(m.Name)
		}
		call, ok := c.calls[id]
		if !ok {
			return badRequest(param+".tool_call_id", "tool_call_id %s answers no tool call of an earlier assistant message", quote(id))
		}
		res := &llm.ToolResult{CallID: id, Name: call.Name, Content: m.Content.String()}
		// Consecutive tool messages form one tool turn.
		if n := len(req.Messages); n > 0 && req.Messages[n-1].Role == llm.RoleTool {
			last := &req.Messages[n-1]
			last.Parts = append(last.Parts, llm.Part{ToolResult: res})
		} else {
			req.Messages = append(req.Messages, llm.Message{Role: llm.RoleTool, Parts: []llm.Part{{ToolResult: res}}})
		}
		return nil
	}
	return badRequest(param+".role", "unknown role %s: use system, developer, user, assistant or tool", quote(m.Role))
}

func (c *converter) lastLegacy(name string) string {
	for i := c.legacy; i > 0; i-- {
		id := "call_legacy_" + strconv.Itoa(i)
		if c.calls[id].Name == name {
			return id
		}
	}
	return ""
}

func toLLMCall(tc openai.ToolCall, param string) (llm.ToolCall, error) {
	if tc.ID == "" {
		return llm.ToolCall{}, badRequest(param+".id", "a tool call needs an id")
	}
	args := strings.TrimSpace(tc.Function.Arguments)
	if args == "" {
		args = "{}"
	}
	if !json.Valid([]byte(args)) || args[0] != '{' {
		return llm.ToolCall{}, badRequest(param+".function.arguments", "arguments must be a JSON object encoded as a string")
	}
	if !validToolName(tc.Function.Name) {
		return llm.ToolCall{}, badRequest(param+".function.name", "a tool call needs the name of a tool, matching ^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$")
	}
	call := llm.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: json.RawMessage(args)}
	if x := tc.ExtraContent; x != nil && x.Google != nil && x.Google.ThoughtSignature != "" {
		sig, err := base64.StdEncoding.DecodeString(x.Google.ThoughtSignature)
		if err != nil {
			return llm.ToolCall{}, badRequest(param+".extra_content.google.thought_signature", "the thought signature must be base64, as the host sent it")
		}
		call.Signature = sig
	}
	return call, nil
}

func userParts(content openai.Content, param string) ([]llm.Part, error) {
	var parts []llm.Part
	for j, p := range content.Parts {
		pp := fmt.Sprintf("%s.content[%d]", param, j)
		switch p.Type {
		case "text", "":
			if p.Text != "" {
				parts = append(parts, llm.Part{Text: p.Text})
			}
		case "image_url":
			if p.ImageURL == nil {
				return nil, badRequest(pp+".image_url", "an image_url part needs image_url.url")
			}
			m, err := dataURL(p.ImageURL.URL)
			if err == nil && !strings.HasPrefix(m.MIMEType, "image/") {
				err = fmt.Errorf("an image_url part holds an image, not %s; send documents as file parts", m.MIMEType)
			}
			if err != nil {
				return nil, badRequest(pp+".image_url.url", "%v", err)
			}
			parts = append(parts, llm.Part{Media: m})
		case "input_audio":
			if p.InputAudio == nil {
				return nil, badRequest(pp+".input_audio", "an input_audio part needs data and format")
			}
			format := strings.ToLower(p.InputAudio.Format)
			if !slices.Contains(audioFormats(), format) {
				return nil, badRequest(pp+".input_audio.format", "unknown audio format %s: use %s", quote(p.InputAudio.Format), strings.Join(audioFormats(), ", "))
			}
			data, err := base64.StdEncoding.DecodeString(p.InputAudio.Data)
			if err != nil {
				return nil, badRequest(pp+".input_audio.data", "audio data must be base64")
			}
			parts = append(parts, llm.Part{Media: &llm.Media{MIMEType: "audio/" + format, Data: data}})
		case "file":
			if p.File == nil || p.File.FileData == "" {
				return nil, badRequest(pp+".file", "a file part needs file_data as a data URL; file ids are not supported")
			}
			m, err := dataURL(p.File.FileData)
			if err != nil {
				return nil, badRequest(pp+".file.file_data", "%v", err)
			}
			m.Name = p.File.Filename
			parts = append(parts, llm.Part{Media: m})
		default:
			return nil, badRequest(pp+".type", "unknown content part type %s: use text, image_url, input_audio or file", quote(p.Type))
		}
	}
	return parts, nil
}

// audioFormats are the input_audio formats Gemini reads.
func audioFormats() []string { return []string{"aac", "aiff", "flac", "mp3", "ogg", "wav"} }

// mediaTypes are the attachment types the model reads; anything else is
// refused here rather than passed on.
func mediaTypes() []string {
	return []string{
		"image/png", "image/jpeg", "image/webp", "image/heic", "image/heif", "image/gif",
		"application/pdf", "text/plain", "text/csv", "text/markdown", "text/html", "application/json",
		"audio/wav", "audio/x-wav", "audio/mp3", "audio/mpeg", "audio/aiff", "audio/aac",
		"audio/ogg", "audio/flac", "audio/webm",
		"video/mp4", "video/mpeg", "video/quicktime", "video/webm", "video/x-flv", "video/3gpp",
	}
}

// dataURL decodes a data: URL of one of the mediaTypes. The host never
// fetches remote URLs on a client's behalf.
func dataURL(s string) (*llm.Media, error) {
	rest, ok := strings.CutPrefix(s, "data:")
	if !ok {
		return nil, fmt.Errorf("only data: URLs are accepted (the host does not fetch remote URLs)")
	}
	meta, payload, ok := strings.Cut(rest, ",")
	if !ok {
		return nil, fmt.Errorf("malformed data URL: no comma")
	}
	typ, isBase64 := strings.CutSuffix(meta, ";base64")
	mt, _, err := mime.ParseMediaType(typ)
	if err != nil || typ == "" {
		return nil, fmt.Errorf("data URL has no valid media type")
	}
	if !slices.Contains(mediaTypes(), mt) {
		return nil, fmt.Errorf("media type %s is not one the model reads: use %s", mt, strings.Join(mediaTypes(), ", "))
	}
	var data []byte
	if isBase64 {
		data, err = base64.StdEncoding.DecodeString(payload)
	} else {
		var text string
		text, err = url.PathUnescape(payload)
		data = []byte(text)
	}
	if err != nil {
		return nil, fmt.Errorf("decoding data URL: %v", err)
	}
	return &llm.Media{MIMEType: mt, Data: data}, nil
}

// limitsOf checks the sampling options against the ranges the model
// accepts, so that a bad value is the client's 400, not an upstream error.
func limitsOf(in *openai.ChatRequest) error {
	inRange := func(v *float64, lo, hi float64) bool { return v == nil || !math.IsNaN(*v) && *v >= lo && *v <= hi }
	if !inRange(in.Temperature, 0, 2) {
		return badRequest("temperature", "temperature must be between 0 and 2")
	}
	if !inRange(in.TopP, 0, 1) {
		return badRequest("top_p", "top_p must be between 0 and 1")
	}
	for param, v := range map[string]*int{"max_tokens": in.MaxTokens, "max_completion_tokens": in.MaxCompletionTokens} {
		if v != nil && (*v < 1 || *v > math.MaxInt32) {
			return badRequest(param, "%s must be between 1 and %d", param, math.MaxInt32)
		}
	}
	if in.Seed != nil && (*in.Seed < math.MinInt32 || *in.Seed > math.MaxInt32) {
		return badRequest("seed", "seed must fit in 32 bits")
	}
	if len(in.Stop) > 5 {
		return badRequest("stop", "stop holds at most 5 sequences")
	}
	return nil
}

func options(req *llm.Request, in *openai.ChatRequest) error {
	if err := limitsOf(in); err != nil {
		return err
	}
	o := &req.Options
	o.Temperature, o.TopP, o.Seed, o.Stop = in.Temperature, in.TopP, in.Seed, in.Stop
	o.MaxTokens = in.MaxCompletionTokens
	if o.MaxTokens == nil {
		o.MaxTokens = in.MaxTokens
	}
	o.IncludeThoughts = in.IncludeReasoning || in.ReasoningEffort != ""
	if rf := in.ResponseFormat; rf != nil {
		switch rf.Type {
		case "json_object":
			o.ResponseFormat = &llm.ResponseFormat{}
		case "json_schema":
			if rf.JSONSchema == nil {
				return badRequest("response_format.json_schema", "json_schema needs a schema")
			}
			o.ResponseFormat = &llm.ResponseFormat{Schema: rf.JSONSchema.Schema}
		case "text", "":
		default:
			return badRequest("response_format.type", "unknown response format %s", quote(rf.Type))
		}
	}
	return nil
}

// clientTools converts the request's own tools.
func clientTools(in []openai.Tool) ([]llm.Tool, error) {
	var out []llm.Tool
	for i, t := range in {
		if t.Type != "function" && t.Type != "" {
			return nil, badRequest(fmt.Sprintf("tools[%d].type", i), "only function tools are supported")
		}
		if !validToolName(t.Function.Name) {
			return nil, badRequest(fmt.Sprintf("tools[%d].function.name", i), "tool names must match ^[a-zA-Z0-9_-]{1,64}$ and start with a letter or underscore")
		}
		params := t.Function.Parameters
		if len(params) == 0 || string(params) == "null" {
			params = json.RawMessage(`{"type":"object","properties":{}}`)
		}
		if params[0] != '{' { // valid JSON already: the request decoded
			return nil, badRequest(fmt.Sprintf("tools[%d].function.parameters", i), "parameters must be a JSON Schema object")
		}
		out = append(out, llm.Tool{Name: t.Function.Name, Description: t.Function.Description, Parameters: params})
	}
	return out, nil
}

func validToolName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r == '-' || r >= '0' && r <= '9'):
		default:
			return false
		}
	}
	return true
}

func parseToolChoice(raw json.RawMessage) (llm.ToolChoice, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return llm.ToolChoice{}, nil
	}
	var mode string
	if err := json.Unmarshal(raw, &mode); err == nil {
		switch mode {
		case "auto":
			return llm.ToolChoice{}, nil
		case "none":
			return llm.ToolChoice{Mode: llm.ToolChoiceNone}, nil
		case "required":
			return llm.ToolChoice{Mode: llm.ToolChoiceRequired}, nil
		}
		return llm.ToolChoice{}, badRequest("tool_choice", "tool_choice must be none, auto, required or a function")
	}
	var named struct {
		Type     string `json:"type"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	if err := json.Unmarshal(raw, &named); err != nil || named.Function.Name == "" {
		return llm.ToolChoice{}, badRequest("tool_choice", `tool_choice must be none, auto, required or {"type":"function","function":{"name":...}}`)
	}
	return llm.ToolChoice{Function: named.Function.Name}, nil
}

func quote(s string) string { return strconv.Quote(s) }
