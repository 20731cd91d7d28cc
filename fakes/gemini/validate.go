package fakegemini

import (
	"fmt"
	"regexp"
	"slices"
)

// validate applies the rules Vertex AI enforces and returns the first
// violation as a 400 INVALID_ARGUMENT error, or nil. The rules are listed in
// the package documentation.
func (s *Server) validate(req *Request) *Error {
	if len(req.Contents) == 0 {
		return invalid("contents is not specified")
	}
	for _, check := range []func(*Request) *Error{
		checkRoles,
		checkFunctionResponses,
		s.checkSignatures,
		checkTools,
		checkToolConfig,
		checkInlineData,
	} {
		if err := check(req); err != nil {
			return err
		}
	}
	return nil
}

func checkRoles(req *Request) *Error {
	for i, c := range req.Contents {
		switch {
		case c == nil:
			return invalid("contents[%d] is null", i)
		case c.Role == "user" || c.Role == "model":
		case c.Role == "" && !req.Vertex:
			// The Gemini API takes a missing role as "user".
		default:
			return invalid("Please use a valid role: user, model. contents[%d].role is %q", i, c.Role)
		}
		if len(c.Parts) == 0 {
			return invalid("contents[%d].parts must not be empty", i)
		}
	}
	return nil
}

// checkFunctionResponses checks that every content holding function
// responses comes right after a model content holding function calls, with
// one response per call, matched by id when the response has one, else by
// name.
func checkFunctionResponses(req *Request) *Error {
	var calls []*FunctionCall // calls of the previous content
	for i, c := range req.Contents {
		var responses []*FunctionResponse
		for _, p := range c.Parts {
			if p != nil && p.FunctionResponse != nil {
				responses = append(responses, p.FunctionResponse)
			}
		}
		if len(responses) > 0 {
			if err := matchResponses(i, calls, responses); err != nil {
				return err
			}
		}
		calls = calls[:0]
		if c.Role == "model" {
			for _, p := range c.Parts {
				if p != nil && p.FunctionCall != nil {
					calls = append(calls, p.FunctionCall)
				}
			}
		}
	}
	return nil
}

func matchResponses(i int, calls []*FunctionCall, responses []*FunctionResponse) *Error {
	if len(calls) == 0 {
		return invalid("Please ensure that function response turn comes immediately after a function call turn. contents[%d] answers no functionCall", i)
	}
	used := make([]bool, len(calls))
	for _, r := range responses {
		j := answered(calls, used, r)
		switch {
		case j < 0 && r.ID != "":
			return invalid("contents[%d]: functionResponse id %q (%s) answers no functionCall of the previous model turn", i, r.ID, r.Name)
		case j < 0:
			return invalid("contents[%d]: functionResponse %q answers no functionCall of the previous model turn (calls: %s)", i, r.Name, callNames(calls))
		case calls[j].Name != r.Name:
			return invalid("contents[%d]: functionResponse id %q is named %q but its functionCall is named %q", i, r.ID, r.Name, calls[j].Name)
		}
		used[j] = true
	}
	if len(responses) != len(calls) {
		return invalid("Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn. contents[%d] has %d responses for %d calls", i, len(responses), len(calls))
	}
	return nil
}

// answered returns the index of the unused call that r answers, or -1:
// by id when both carry one, else by name.
func answered(calls []*FunctionCall, used []bool, r *FunctionResponse) int {
	for j, c := range calls {
		if used[j] {
			continue
		}
		if c.ID != "" && r.ID != "" {
			if c.ID == r.ID {
				return j
			}
		} else if c.Name == r.Name {
			return j
		}
	}
	return -1
}

func callNames(calls []*FunctionCall) string {
	names := make([]string, len(calls))
	for i, c := range calls {
		names[i] = c.Name
	}
	return fmt.Sprintf("%q", names)
}

// checkSignatures checks that each function call the server signed comes
// back with its signature, unchanged, on the same part.
func (s *Server) checkSignatures(req *Request) *Error {
	for i, c := range req.Contents {
		if c.Role != "model" {
			continue
		}
		for j, p := range c.Parts {
			if p == nil || p.FunctionCall == nil {
				continue
			}
			want := s.ledger.expected(p.FunctionCall)
			switch {
			case len(want) == 0:
			case p.ThoughtSignature == "":
				return invalid("Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `%s` , position %d (contents[%d].parts[%d]). Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.", p.FunctionCall.Name, j+1, i, j)
			case !slices.Contains(want, p.ThoughtSignature):
				return invalid("Corrupted thought signature: contents[%d].parts[%d] (function call `%s`) does not carry the signature the model issued", i, j, p.FunctionCall.Name)
			}
		}
	}
	return nil
}

// functionName is the rule Vertex applies to declared function names.
var functionName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$`)

func checkTools(req *Request) *Error {
	seen := make(map[string]bool)
	for i, t := range req.Tools {
		if t == nil {
			return invalid("tools[%d] is null", i)
		}
		for j, fd := range t.FunctionDeclarations {
			at := fmt.Sprintf("tools[%d].functionDeclarations[%d]", i, j)
			if fd == nil {
				return invalid("%s is null", at)
			}
			if !functionName.MatchString(fd.Name) {
				return invalid("%s: invalid function name %q. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.", at, fd.Name)
			}
			if seen[fd.Name] {
				return invalid("%s: duplicate function declaration %q", at, fd.Name)
			}
			seen[fd.Name] = true
			if err := checkDeclarationSchema(at, fd); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkToolConfig refuses on the Gemini API what only Vertex knows; genai
// itself refuses to send it there.
func checkToolConfig(req *Request) *Error {
	if req.Vertex || req.ToolConfig == nil || req.ToolConfig.FunctionCallingConfig == nil ||
		req.ToolConfig.FunctionCallingConfig.StreamFunctionCallArguments == nil {
		return nil
	}
	return invalid(`Invalid JSON payload received. Unknown name "streamFunctionCallArguments" at 'tool_config.function_calling_config': Cannot find field.`)
}
