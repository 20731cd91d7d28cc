package fakeopenai

import (
	"fmt"
	"strings"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// An Expectation is a condition on the request a scripted turn answers.
// Kinds:
//
//	text SUBSTR      the last user message contains SUBSTR
//	system SUBSTR    the system messages contain SUBSTR
//	model NAME       the request names model NAME
//	stream           the request is streamed
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
	case "stream":
		if rest != "" {
			return Expectation{}, fmt.Errorf("expect stream takes no argument")
		}
		return Expectation{Kind: kind}, nil
	case "text", "system", "model":
	default:
		return Expectation{}, fmt.Errorf("unknown expectation %q (want text, system, model or stream)", kind)
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
	}
	return nil
}

func (e Expectation) String() string { return strings.TrimSpace("expect " + e.Kind + " " + e.Arg) }
