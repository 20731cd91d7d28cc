package fakegemini

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// An Expectation is a condition on the request a scripted turn answers.
// Kinds:
//
//	text SUBSTR      the last user content's text contains SUBSTR
//	response NAME    the last content holds a functionResponse for NAME
//	tool NAME        a function named NAME is declared
//	system SUBSTR    the system instruction contains SUBSTR
//	model NAME       the URL names model NAME
//	refused CODE     the fake refuses the request with HTTP CODE and a
//	                 message containing Contains if set (the step then
//	                 answers nothing: the refusal is the answer)
type Expectation struct {
	Kind, Arg string
	// Contains, for refused, is text the refusal's message must contain.
	Contains string
}

func expectArg(arg string) (Expectation, error) {
	kind, rest, _ := strings.Cut(arg, " ")
	if kind == "refused" {
		code, more, _ := strings.Cut(strings.TrimSpace(rest), " ")
		if n, err := strconv.Atoi(code); err != nil || n < 400 || n > 599 {
			return Expectation{}, fmt.Errorf("expect refused wants an HTTP error code (400-599), then the text of the message if you like; got %q", code)
		}
		contains, err := scenario.Text(strings.TrimSpace(more))
		return Expectation{Kind: kind, Arg: code, Contains: contains}, err
	}
	rest, err := scenario.Text(strings.TrimSpace(rest))
	if err != nil {
		return Expectation{}, err
	}
	switch kind {
	case "text", "response", "tool", "system", "model":
	default:
		return Expectation{}, fmt.Errorf("unknown expectation %q (want text, response, tool, system, model or refused)", kind)
	}
	if rest == "" {
		return Expectation{}, fmt.Errorf("expect %s needs an argument", kind)
	}
	return Expectation{Kind: kind, Arg: rest}, nil
}

// Check returns an error saying how req fails e, or nil.
func (e Expectation) Check(req *Request) error {
	switch e.Kind {
	case "text":
		if got := req.LastUserText(); !strings.Contains(got, e.Arg) {
			return fmt.Errorf("expected the last user text to contain %q, got %q", e.Arg, got)
		}
	case "response":
		for _, r := range req.FunctionResponses() {
			if r.Name == e.Arg {
				return nil
			}
		}
		return fmt.Errorf("expected a functionResponse for %q in the last content", e.Arg)
	case "tool":
		if req.Declaration(e.Arg) == nil {
			return fmt.Errorf("expected a declared function %q", e.Arg)
		}
	case "system":
		if got := contentText(req.SystemInstruction); !strings.Contains(got, e.Arg) {
			return fmt.Errorf("expected the system instruction to contain %q, got %q", e.Arg, got)
		}
	case "model":
		if req.Model != e.Arg {
			return fmt.Errorf("expected model %q, got %q", e.Arg, req.Model)
		}
	case "refused":
		return fmt.Errorf("expected the fake to refuse the request with %s, but the request was valid", e.Arg)
	}
	return nil
}

// refusal returns, for Script.Refuse, whether expectations foresee a
// refusal and how r fails it.
func refusal(r *Error) func([]Expectation) (bool, error) {
	return func(expect []Expectation) (bool, error) {
		for _, e := range expect {
			if e.Kind != "refused" {
				continue
			}
			if strconv.Itoa(r.Code) != e.Arg || !strings.Contains(r.Message, e.Contains) {
				return true, fmt.Errorf("expected a refusal with %s %q, got %d %q", e.Arg, e.Contains, r.Code, r.Message)
			}
			return true, nil
		}
		return false, nil
	}
}

func (e Expectation) String() string {
	s := "expect " + e.Kind + " " + e.Arg
	if e.Contains != "" {
		s += " " + strconv.Quote(e.Contains)
	}
	return s
}
