package fakegemini

import (
	"encoding/json"
	"strings"
)

// LastUserText returns the non-thought text of the last user content, or
// "" if the last content is not the user's or holds no text.
func (r *Request) LastUserText() string {
	if len(r.Contents) == 0 {
		return ""
	}
	last := r.Contents[len(r.Contents)-1]
	if last.Role == "model" {
		return ""
	}
	return contentText(last)
}

// FunctionResponses returns the function responses of the last content.
func (r *Request) FunctionResponses() []*FunctionResponse {
	if len(r.Contents) == 0 {
		return nil
	}
	var out []*FunctionResponse
	for _, p := range r.Contents[len(r.Contents)-1].Parts {
		if p != nil && p.FunctionResponse != nil {
			out = append(out, p.FunctionResponse)
		}
	}
	return out
}

// Declarations returns every declared function, in order.
func (r *Request) Declarations() []*FunctionDeclaration {
	var out []*FunctionDeclaration
	for _, t := range r.Tools {
		if t != nil {
			out = append(out, t.FunctionDeclarations...)
		}
	}
	return out
}

// Declaration returns the declared function called name, or nil.
func (r *Request) Declaration(name string) *FunctionDeclaration {
	for _, d := range r.Declarations() {
		if d != nil && d.Name == name {
			return d
		}
	}
	return nil
}

// contentText joins the non-thought text parts of c.
func contentText(c *Content) string {
	if c == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range c.Parts {
		if p != nil && !p.Thought && p.Text != "" {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// streamsArguments reports whether the request asks Vertex to stream the
// arguments of function calls (toolConfig.functionCallingConfig.
// streamFunctionCallArguments, which the Gemini API does not know).
func (r *Request) streamsArguments() bool {
	if !r.Vertex || r.ToolConfig == nil || r.ToolConfig.FunctionCallingConfig == nil {
		return false
	}
	var on bool
	return json.Unmarshal(r.ToolConfig.FunctionCallingConfig.StreamFunctionCallArguments, &on) == nil && on
}
