package gemini

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
)

// generateRequest translates req into genai's contents and configuration.
func generateRequest(req *llm.Request) ([]*genai.Content, *genai.GenerateContentConfig, error) {
	contents, err := conversation(req.Messages)
	if err != nil {
		return nil, nil, err
	}
	config, err := generateConfig(req)
	if err != nil {
		return nil, nil, err
	}
	return contents, config, nil
}

// conversation maps messages to contents. Gemini knows two roles: user and
// tool messages are "user", assistant messages "model".
func conversation(msgs []llm.Message) ([]*genai.Content, error) {
	calls := map[string]callRef{}
	var contents []*genai.Content
	for i := 0; i < len(msgs); i++ {
		m := msgs[i]
		var role string
		switch m.Role {
		case llm.RoleUser:
			role = genai.RoleUser
		case llm.RoleAssistant:
			role = genai.RoleModel
		case llm.RoleTool:
			end := i + 1
			for end < len(msgs) && msgs[end].Role == llm.RoleTool {
				end++
			}
			c, err := functionResponses(msgs[i:end], i, calls)
			if err != nil {
				return nil, err
			}
			contents = append(contents, c)
			i = end - 1
			continue
		default:
			return nil, fmt.Errorf("message %d: unknown role %q", i, m.Role)
		}
		c := &genai.Content{Role: role}
		for _, p := range m.Parts {
			gp, err := contentPart(p)
			if err != nil {
				return nil, fmt.Errorf("message %d: %w", i, err)
			}
			if gp == nil {
				continue
			}
			if p.ToolCall != nil {
				calls[p.ToolCall.ID] = callRef{call: p.ToolCall, order: len(calls)}
			}
			c.Parts = append(c.Parts, gp)
		}
		// Gemini rejects a content without parts.
		if len(c.Parts) > 0 {
			contents = append(contents, c)
		}
	}
	return contents, nil
}

// callRef is a tool call of the conversation and its position among all
// calls.
type callRef struct {
	call  *llm.ToolCall
	order int
}

// functionResponses maps a run of tool messages (the first at index first)
// to one user content holding every function response, in the order of the
// calls they answer: Gemini pairs responses with calls by position when the
// calls have no id. Responses to unknown calls keep their order, last.
func functionResponses(run []llm.Message, first int, calls map[string]callRef) (*genai.Content, error) {
	type response struct {
		order int
		part  *genai.Part
	}
	var rs []response
	for k, m := range run {
		for _, p := range m.Parts {
			if p.ToolResult == nil {
				return nil, fmt.Errorf("message %d: tool message part without a tool result", first+k)
			}
			ref, known := calls[p.ToolResult.CallID]
			fr, err := functionResponse(p.ToolResult, ref.call)
			if err != nil {
				return nil, fmt.Errorf("message %d: %w", first+k, err)
			}
			order := len(calls)
			if known {
				order = ref.order
			}
			rs = append(rs, response{order, &genai.Part{FunctionResponse: fr}})
		}
	}
	slices.SortStableFunc(rs, func(a, b response) int { return a.order - b.order })
	c := &genai.Content{Role: genai.RoleUser}
	for _, r := range rs {
		c.Parts = append(c.Parts, r.part)
	}
	return c, nil
}

// functionResponse answers call (nil if unknown) with tr. The response is
// {"output": ...} or {"error": ...}, as Gemini documents, holding the
// content decoded when it is JSON and as a string otherwise. Media go in the
// response's own parts (multimodal function responses).
func functionResponse(tr *llm.ToolResult, call *llm.ToolCall) (*genai.FunctionResponse, error) {
	fr := &genai.FunctionResponse{Name: tr.Name}
	if call != nil {
		fr.Name = call.Name
		fr.ID = geminiID(call)
	}
	if fr.Name == "" {
		return nil, fmt.Errorf("tool result for unknown call %q has no name", tr.CallID)
	}
	var v any = tr.Content
	var decoded any
	if json.Unmarshal([]byte(tr.Content), &decoded) == nil {
		v = decoded
	}
	key := "output"
	if tr.IsError {
		key = "error"
	}
	fr.Response = map[string]any{key: v}
	for _, m := range tr.Media {
		fr.Parts = append(fr.Parts, &genai.FunctionResponsePart{
			InlineData: &genai.FunctionResponseBlob{MIMEType: m.MIMEType, Data: m.Data},
		})
	}
	return fr, nil
}

// contentPart maps a user or assistant part; nil means nothing to send.
// A media's file name is not sent: genai documents Blob.DisplayName as used
// only with server-side tools, and the service may refuse it elsewhere.
func contentPart(p llm.Part) (*genai.Part, error) {
	switch {
	case p.ToolCall != nil:
		return functionCallPart(p.ToolCall)
	case p.Media != nil:
		return &genai.Part{InlineData: &genai.Blob{MIMEType: p.Media.MIMEType, Data: p.Media.Data}}, nil
	case p.ToolResult != nil:
		return nil, fmt.Errorf("tool result outside a tool message (call %s)", p.ToolResult.CallID)
	case p.Text != "":
		return &genai.Part{Text: p.Text}, nil
	}
	return nil, nil
}

// functionCallPart echoes a call the model made, with its thought signature
// in the same part, where Gemini expects it.
func functionCallPart(tc *llm.ToolCall) (*genai.Part, error) {
	var args map[string]any
	if len(tc.Arguments) > 0 {
		if err := json.Unmarshal(tc.Arguments, &args); err != nil {
			return nil, fmt.Errorf("decoding arguments of call %s (%s): %w", tc.ID, tc.Name, err)
		}
	}
	return &genai.Part{
		FunctionCall: &genai.FunctionCall{
			ID:   geminiID(tc),
			Name: tc.Name,
			Args: args,
		},
		ThoughtSignature: tc.Signature,
	}, nil
}

// geminiID is Gemini's own id for a call, or "". A call Gemini gave an id
// keeps that id as its OpenAI id too, so the id survives a round trip
// through a client, which echoes tool_call ids but nothing else reliably;
// ids this package makes up start with "call_" and are never sent.
func geminiID(tc *llm.ToolCall) string {
	if tc.ProviderID != "" {
		return tc.ProviderID
	}
	if strings.HasPrefix(tc.ID, "call_") {
		return ""
	}
	return tc.ID
}
