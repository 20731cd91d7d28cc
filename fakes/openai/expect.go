package fakeopenai

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// An Expectation is a condition on the request a scripted turn answers.
// Kinds, with their Arg:
//
//	text SUBSTR          the last user message contains SUBSTR
//	system SUBSTR        the system messages contain SUBSTR
//	model NAME           the request names model NAME
//	stream               the request is streamed
//	tool NAME            the request offers a function NAME in its tools
//	tool_result ID       after the last assistant message, a tool message
//	                     answers call ID, and contains Contains if set
//	refused STATUS       the fake refuses the request with HTTP STATUS and
//	                     a message containing Contains if set (the step
//	                     then answers nothing: the refusal is the answer)
type Expectation struct {
	Kind, Arg string
	// Contains, for tool_result and refused, is text the tool result or
	// the refusal's message must contain.
	Contains string
}

func expectArg(arg string) (Expectation, error) {
	kind, rest, _ := strings.Cut(arg, " ")
	rest = strings.TrimSpace(rest)
	switch kind {
	case "stream":
		if rest != "" {
			return Expectation{}, fmt.Errorf("expect stream takes no argument")
		}
		return Expectation{Kind: kind}, nil
	case "tool_result", "refused":
		first, more, _ := strings.Cut(rest, " ")
		contains, err := scenario.Text(strings.TrimSpace(more))
		if err != nil {
			return Expectation{}, err
		}
		e := Expectation{Kind: kind, Arg: first, Contains: contains}
		if kind == "refused" {
			if n, err := strconv.Atoi(first); err != nil || n < 400 || n > 599 {
				return Expectation{}, fmt.Errorf("expect refused wants an HTTP error status (400-599), then the text of the message if you like; got %q", first)
			}
		} else if first == "" {
			return Expectation{}, fmt.Errorf("expect tool_result needs the id of the call it answers")
		}
		return e, nil
	case "text", "system", "model", "tool":
	default:
		return Expectation{}, fmt.Errorf("unknown expectation %q (want text, system, model, stream, tool, tool_result or refused)", kind)
	}
	rest, err := scenario.Text(rest)
	if err != nil {
		return Expectation{}, err
	}
	if rest == "" {
		return Expectation{}, fmt.Errorf("expect %s needs an argument", kind)
	}
	return Expectation{Kind: kind, Arg: rest}, nil
}

// Check returns an error saying how req fails e, or nil.
func (e Expectation) Check(req *ChatRequest) error {
	switch e.Kind {
	case "text":
		if got := req.LastUserText(); !strings.Contains(got, e.Arg) {
			return fmt.Errorf("expected the last user message to contain %q, got %q", e.Arg, got)
		}
	case "system":
		if got := req.SystemText(); !strings.Contains(got, e.Arg) {
			return fmt.Errorf("expected a system message containing %q, got %q", e.Arg, got)
		}
	case "model":
		if req.Model != e.Arg {
			return fmt.Errorf("expected model %q, got %q", e.Arg, req.Model)
		}
	case "stream":
		if !req.Stream {
			return fmt.Errorf("expected a streamed request")
		}
	case "tool":
		if names := req.toolNames(); !slices.Contains(names, e.Arg) {
			return fmt.Errorf("expected a function %q in the request's tools, got %q", e.Arg, names)
		}
	case "tool_result":
		var answered []string
		for _, m := range req.toolResults() {
			if m.ToolCallID != e.Arg {
				answered = append(answered, m.ToolCallID)
				continue
			}
			if got := m.Text(); !strings.Contains(got, e.Contains) {
				return fmt.Errorf("expected the result of call %s to contain %q, got %q", e.Arg, e.Contains, got)
			}
			return nil
		}
		return fmt.Errorf("expected a tool message answering call %s after the last assistant message, got answers to %q", e.Arg, answered)
	case "refused":
		return fmt.Errorf("expected the fake to refuse the request with %s, but the request was valid", e.Arg)
	}
	return nil
}

// checkRefusal returns an error saying how the refusal r fails e, a
// refused expectation, or nil.
func (e Expectation) checkRefusal(r *Error) error {
	if strconv.Itoa(r.Status) != e.Arg || !strings.Contains(r.Message, e.Contains) {
		return fmt.Errorf("expected a refusal with %s %q, got %d %q", e.Arg, e.Contains, r.Status, r.Message)
	}
	return nil
}

// refusal returns, for Script.Refuse, whether expectations foresee a
// refusal and how r fails it.
func refusal(r *Error) func([]Expectation) (bool, error) {
	return func(expect []Expectation) (bool, error) {
		for _, e := range expect {
			if e.Kind == "refused" {
				return true, e.checkRefusal(r)
			}
		}
		return false, nil
	}
}

func (e Expectation) String() string {
	s := "expect " + e.Kind
	if e.Arg != "" {
		s += " " + e.Arg
	}
	if e.Contains != "" {
		s += " " + strconv.Quote(e.Contains)
	}
	return s
}

// toolNames returns the names of the functions req offers.
func (r *ChatRequest) toolNames() []string {
	var tools []struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	json.Unmarshal(r.Tools, &tools)
	var names []string
	for _, t := range tools {
		names = append(names, t.Function.Name)
	}
	return names
}

// toolResults returns the tool messages after the last assistant message.
func (r *ChatRequest) toolResults() []Message {
	var out []Message
	for i := len(r.Messages) - 1; i >= 0 && r.Messages[i].Role != "assistant"; i-- {
		if r.Messages[i].Role == "tool" {
			out = append(out, r.Messages[i])
		}
	}
	slices.Reverse(out)
	return out
}
