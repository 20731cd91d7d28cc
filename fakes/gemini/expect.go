package fakegemini

import (
	"fmt"
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
type Expectation struct {
	Kind, Arg string
}

func expectArg(arg string) (Expectation, error) {
	kind, rest, _ := strings.Cut(arg, " ")
	rest, err := scenario.Text(strings.TrimSpace(rest))
	if err != nil {
		return Expectation{}, err
	}
	switch kind {
	case "text", "response", "tool", "system", "model":
	default:
		return Expectation{}, fmt.Errorf("unknown expectation %q (want text, response, tool, system or model)", kind)
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
	}
	return nil
}

func (e Expectation) String() string { return "expect " + e.Kind + " " + e.Arg }
