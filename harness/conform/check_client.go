package conform

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
)

// serverRequests returns the requests for a method that the server sent
// in any session, with the revision of their session.
func (r *run) serverRequests(method string) (reqs []*message, revs []string) {
	r.eachIncoming(func(s *session, _ []entry, m *message) bool {
		if m.isRequest() && m.Method == method {
			s.mu.Lock()
			rev := s.version
			s.mu.Unlock()
			reqs, revs = append(reqs, m), append(revs, rev)
		}
		return true
	})
	return reqs, revs
}

// samplingContent checks one content block of a sampling message.
func samplingContent(raw json.RawMessage, rev string) error {
	var c struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("a content block does not decode: %v", err)
	}
	switch c.Type {
	case "text", "image", "audio":
		return checkContent(raw)
	case "tool_use", "tool_result":
		if rev >= rev20251125 {
			return nil
		}
	}
	return fmt.Errorf("content of type %q has no place in a sampling message", c.Type)
}

// contentBlocks returns a message's content as a list: one block, or
// from 2025-11-25 on an array of them.
func contentBlocks(raw json.RawMessage, rev string) ([]json.RawMessage, error) {
	if len(raw) > 0 && raw[0] == '[' && rev >= rev20251125 {
		var blocks []json.RawMessage
		err := json.Unmarshal(raw, &blocks)
		return blocks, err
	}
	if !isObject(raw) {
		return nil, fmt.Errorf("the content is %s, not a content block", evidence(raw))
	}
	return []json.RawMessage{raw}, nil
}

// samplingError says why a sampling/createMessage request is malformed.
func samplingError(params json.RawMessage, rev string) error {
	var p struct {
		Messages *[]struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		MaxTokens      *float64        `json:"maxTokens"`
		IncludeContext *string         `json:"includeContext"`
		Tools          json.RawMessage `json:"tools"`
		ToolChoice     *struct {
			Mode *string `json:"mode"`
		} `json:"toolChoice"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return fmt.Errorf("the params do not decode: %v", err)
	}
	switch {
	case p.Messages == nil:
		return fmt.Errorf("no messages array")
	case p.MaxTokens == nil:
		return fmt.Errorf("no maxTokens")
	case p.IncludeContext != nil && !slices.Contains([]string{"none", "thisServer", "allServers"}, *p.IncludeContext):
		return fmt.Errorf("includeContext %q is not none, thisServer or allServers", *p.IncludeContext)
	case p.ToolChoice != nil && p.ToolChoice.Mode != nil && !slices.Contains([]string{"auto", "required", "none"}, *p.ToolChoice.Mode):
		return fmt.Errorf("toolChoice.mode %q is not auto, required or none", *p.ToolChoice.Mode)
	}
	if len(p.Tools) > 0 && string(p.Tools) != "null" {
		var tools []struct {
			Name        string          `json:"name"`
			InputSchema json.RawMessage `json:"inputSchema"`
		}
		if err := json.Unmarshal(p.Tools, &tools); err != nil {
			return fmt.Errorf("tools is not an array of tools: %v", err)
		}
		for _, t := range tools {
			if t.Name == "" || !isObject(t.InputSchema) {
				return fmt.Errorf("a tool needs a name and an inputSchema object")
			}
		}
	}
	for i, msg := range *p.Messages {
		if msg.Role != "user" && msg.Role != "assistant" {
			return fmt.Errorf("message %d: role %q is not user or assistant", i, msg.Role)
		}
		blocks, err := contentBlocks(msg.Content, rev)
		if err != nil {
			return fmt.Errorf("message %d: %v", i, err)
		}
		results := 0
		for _, b := range blocks {
			if err := samplingContent(b, rev); err != nil {
				return fmt.Errorf("message %d: %v", i, err)
			}
			var c struct {
				Type string `json:"type"`
			}
			json.Unmarshal(b, &c)
			if c.Type == "tool_result" {
				results++
			}
		}
		if results > 0 && results < len(blocks) {
			return fmt.Errorf("message %d mixes tool results with other content", i)
		}
	}
	return nil
}

// checkSamplingRequests judges every sampling/createMessage the server
// sent against the schema's CreateMessageRequestParams: messages of role
// user or assistant with text, image or audio content (and from
// 2025-11-25 on tool use and results), maxTokens, and tools and
// toolChoice well-formed. Sampling, tool use: "When a user message
// contains tool results (type: "tool_result"), it MUST contain ONLY tool
// results."
func checkSamplingRequests(ctx context.Context, p *probe) {
	p.judgeRequests("sampling/createMessage", CapSampling, samplingError)
}

// judgeRequests judges every request of the server for the method with
// bad; capability is what a client declares to receive them.
func (p *probe) judgeRequests(method, capability string, bad func(params json.RawMessage, rev string) error) {
	reqs, revs := p.serverRequests(method)
	for i, m := range reqs {
		if err := bad(m.Params, revs[i]); err != nil {
			p.fail(m, "%s: %v", method, err)
		}
	}
	if len(reqs) == 0 {
		p.skip("the server sent no %s (a tool may, with --client-caps %s and --call-tools)", method, capability)
	}
}

// elicitationError says why an elicitation/create request is malformed.
func elicitationError(params json.RawMessage, rev string) error {
	var p elicitParams
	if err := json.Unmarshal(params, &p); err != nil {
		return fmt.Errorf("the params do not decode: %v", err)
	}
	if p.Message == nil {
		return fmt.Errorf("no message")
	}
	switch {
	case p.Mode == "url" && rev >= rev20251125:
		if p.ElicitationID == nil || *p.ElicitationID == "" {
			return fmt.Errorf("a URL mode request needs an elicitationId")
		}
		if p.URL == nil {
			return fmt.Errorf("a URL mode request needs a url")
		}
		if u, err := url.Parse(*p.URL); err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("url %q is not a valid URL", *p.URL)
		}
		return nil
	case p.Mode != "" && p.Mode != "form":
		return fmt.Errorf("mode %q is not form or url", p.Mode)
	}
	var schema struct {
		Type       string                     `json:"type"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(p.RequestedSchema, &schema); err != nil || schema.Type != "object" || schema.Properties == nil {
		return fmt.Errorf("requestedSchema must be an object schema with properties")
	}
	for name, raw := range schema.Properties {
		if err := primitiveSchema(raw, rev); err != nil {
			return fmt.Errorf("requestedSchema property %s: %v", name, err)
		}
	}
	return nil
}

// primitiveSchema checks one property of a requested schema: a string,
// number, integer or boolean, or from 2025-11-25 on an array of enum
// strings (a multiple choice).
func primitiveSchema(raw json.RawMessage, rev string) error {
	var s struct {
		Type  string `json:"type"`
		Items *struct {
			Enum  []string        `json:"enum"`
			AnyOf json.RawMessage `json:"anyOf"`
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("does not decode: %v", err)
	}
	switch s.Type {
	case "string", "number", "integer", "boolean":
		return nil
	case "array":
		if rev >= rev20251125 && s.Items != nil && (len(s.Items.Enum) > 0 || len(s.Items.AnyOf) > 0) {
			return nil
		}
		return fmt.Errorf("an array must list its choices in items")
	}
	return fmt.Errorf("type %q is not a primitive type (string, number, integer, boolean)", s.Type)
}

// checkElicitationRequests judges every elicitation/create the server
// sent. Elicitation: "All elicitation requests MUST include the
// following parameters: [...] message"; form mode: the schema's
// requestedSchema is "A restricted subset of JSON Schema. Only top-level
// properties are allowed, without nesting", of primitive types; URL
// mode: "URL mode elicitation requests MUST specify mode: "url", a
// message, and include these additional parameters" (elicitationId,
// url), and "The url parameter MUST contain a valid URL."
func checkElicitationRequests(ctx context.Context, p *probe) {
	p.judgeRequests("elicitation/create", CapElicitation, elicitationError)
}
