package fakeopenai

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// A Scenario is a script of answers, read from a txtar file whose sections
// are the turns in order (see the package documentation for the format).
// Its Name is the file name, used in messages; Comment is the archive's
// leading comment. It is immutable once parsed.
type Scenario = scenario.Scenario[Expectation, Turn]

// A Step is one scripted answer with the expectations on the request it
// answers. Label is its section's name and Line the line of the section
// marker.
type Step = scenario.Step[Expectation, Turn]

// LoadScenario reads and parses a scenario file.
func LoadScenario(file string) (*Scenario, error) {
	return scenario.Load(file, ParseScenario)
}

// ParseScenario parses a scenario; name is used in error messages, which
// have the form "name:line: message".
func ParseScenario(name string, data []byte) (*Scenario, error) {
	return scenario.Parse(name, data, func(st *Step) scenario.StepParser {
		return stepParser{st}
	})
}

// stepParser reads the directives of one turn.
type stepParser struct{ st *Step }

var finishReason = regexp.MustCompile(`^(stop|length|tool_calls|content_filter|function_call)$`)

func (p stepParser) Line(l string) error {
	verb, arg, _ := strings.Cut(l, " ")
	arg = strings.TrimSpace(arg)
	t := p.st.Turn
	switch verb {
	case "text":
		s, err := scenario.Text(arg)
		if err != nil {
			return err
		}
		t.Chunks = append(t.Chunks, s)
	case "finish":
		if !finishReason.MatchString(arg) {
			return fmt.Errorf("finish wants stop, length, tool_calls or content_filter; got %q", arg)
		}
		t.Finish = arg
	case "usage":
		u, err := usageArg(arg)
		if err != nil {
			return err
		}
		t.Usage = u
	case "model":
		if arg == "" {
			return fmt.Errorf("model needs a name")
		}
		t.Model = arg
	case "delay":
		d, err := time.ParseDuration(arg)
		if err != nil || d < 0 {
			return fmt.Errorf("delay wants a Go duration such as 200ms or 2s, got %q", arg)
		}
		t.Delay = d
	case "error":
		code, msg, _ := strings.Cut(arg, " ")
		n, err := strconv.Atoi(code)
		if err != nil || n < 400 || n > 599 {
			return fmt.Errorf("error wants an HTTP error code (400-599) first, got %q", code)
		}
		t.Err = newError(n, "%s", strings.TrimSpace(msg))
	case "expect":
		e, err := expectArg(arg)
		if err != nil {
			return err
		}
		p.st.Expect = append(p.st.Expect, e)
	default:
		return fmt.Errorf("unknown directive %q (want text, finish, usage, model, delay, error or expect)", verb)
	}
	return nil
}

func (p stepParser) Done() error {
	if t := p.st.Turn; t.Err != nil && len(t.Chunks) > 0 {
		return errors.New("error answers alone; drop the text lines")
	}
	return nil
}

// usageArg parses "prompt=N completion=N".
func usageArg(arg string) (*Usage, error) {
	u := &Usage{}
	fields := map[string]*int{"prompt": &u.PromptTokens, "completion": &u.CompletionTokens}
	for _, f := range strings.Fields(arg) {
		k, v, _ := strings.Cut(f, "=")
		dst, ok := fields[k]
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("usage: bad field %q (want prompt=N completion=N)", f)
		}
		*dst = n
	}
	return u, nil
}
