package fakeopenai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// A Scenario is a script of answers, one Step per chat request, in order.
// ParseScenario and LoadScenario read one from a txtar file (see the
// package documentation for the format); a test may also build one in Go.
// A Scenario must not change once a Script plays it.
type Scenario struct {
	// Name names the scenario in messages: the file name, for a parsed one.
	Name string
	// Comment is the txtar archive's leading comment.
	Comment string
	// Steps are the answers, in the order the requests must come.
	Steps []*Step
}

// A Step is one scripted answer with the expectations on the request it
// answers.
type Step struct {
	// Label names the step in messages: its section's name.
	Label string
	// Line is the line of the section marker, for messages.
	Line int
	// Expect are the conditions the request must meet; the step is used up
	// even when it fails one.
	Expect []Expectation
	// Turn is the answer.
	Turn *Turn
}

// LoadScenario reads and parses a scenario file.
func LoadScenario(file string) (*Scenario, error) {
	return scenario.Load(file, ParseScenario)
}

// ParseScenario parses a scenario; name is used in error messages, which
// have the form "name:line: message".
func ParseScenario(name string, data []byte) (*Scenario, error) {
	calls := 0 // across the scenario, to number the calls without an id
	sc, err := scenario.Parse(name, data, func(st *scenario.Step[Expectation, Turn]) scenario.StepParser {
		return &stepParser{st: (*Step)(st), calls: &calls}
	})
	if err != nil {
		return nil, err
	}
	out := &Scenario{Name: sc.Name, Comment: sc.Comment}
	for _, st := range sc.Steps {
		out.Steps = append(out.Steps, (*Step)(st))
	}
	return out, nil
}

// play returns sc in the shape the shared player takes.
func (sc *Scenario) play() *scenario.Scenario[Expectation, Turn] {
	out := &scenario.Scenario[Expectation, Turn]{Name: sc.Name, Comment: sc.Comment}
	for _, st := range sc.Steps {
		out.Steps = append(out.Steps, (*scenario.Step[Expectation, Turn])(st))
	}
	return out
}

// check validates the turns of a scenario built in Go, as parsing does,
// and returns what is wrong with each bad one, naming its step.
func (sc *Scenario) check() map[*Turn]error {
	bad := map[*Turn]error{}
	for i, st := range sc.Steps {
		if st.Turn == nil {
			continue
		}
		if err := st.Turn.validate(); err != nil {
			bad[st.Turn] = fmt.Errorf("%s: step %d (%s): %w", sc.Name, i+1, st.Label, err)
		}
	}
	return bad
}

// stepParser reads the directives of one turn.
type stepParser struct {
	st    *Step
	calls *int
}

func (p *stepParser) Line(l string) error {
	verb, arg, _ := strings.Cut(l, " ")
	arg = strings.TrimSpace(arg)
	t := p.st.Turn
	switch verb {
	case "text":
		if len(t.ToolCalls) > 0 {
			return fmt.Errorf("text after a call: the model's text comes before its calls")
		}
		s, err := scenario.Text(arg)
		if err != nil {
			return err
		}
		t.Chunks = append(t.Chunks, s)
	case "call":
		c, err := callArg(arg)
		if err != nil {
			return err
		}
		*p.calls++
		if c.ID == "" {
			c.ID = fmt.Sprintf("call_%d", *p.calls)
		}
		for _, prev := range t.ToolCalls {
			if prev.ID == c.ID {
				return fmt.Errorf("call %s: id %s is already used in this turn", c.Name, c.ID)
			}
		}
		t.ToolCalls = append(t.ToolCalls, c)
	case "finish":
		if !isFinishReason(arg) {
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
		return fmt.Errorf("unknown directive %q (want text, call, finish, usage, model, delay, error or expect)", verb)
	}
	return nil
}

func (p *stepParser) Done() error {
	for _, e := range p.st.Expect {
		if e.Kind == "refused" && (len(p.st.Expect) > 1 || !p.st.Turn.empty()) {
			return errors.New("expect refused stands alone: a refused request gets no answer and cannot be checked further")
		}
	}
	return p.st.Turn.validate()
}

// callArg parses "NAME [ARGS] [id=ID]", ARGS a JSON object or a Go-quoted
// string sent as it is.
func callArg(arg string) (ToolCall, error) {
	name, rest, _ := strings.Cut(arg, " ")
	if !isFunctionName(name) {
		return ToolCall{}, fmt.Errorf("call wants a function name first (letters, digits, _ and -, up to 64), got %q", name)
	}
	c := ToolCall{Name: name, Arguments: "{}"}
	rest = strings.TrimSpace(rest)
	switch {
	case strings.HasPrefix(rest, "{"):
		dec := json.NewDecoder(strings.NewReader(rest))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return ToolCall{}, fmt.Errorf("call %s: arguments are not a JSON object: %v", name, err)
		}
		var compact bytes.Buffer
		json.Compact(&compact, raw)
		c.Arguments, rest = compact.String(), rest[dec.InputOffset():]
	case strings.HasPrefix(rest, `"`):
		end := quoteEnd(rest)
		s, err := scenario.Text(rest[:end])
		if err != nil {
			return ToolCall{}, fmt.Errorf("call %s: %v", name, err)
		}
		c.Arguments, rest = s, rest[end:]
	}
	for _, f := range strings.Fields(rest) {
		if id, ok := strings.CutPrefix(f, "id="); ok && id != "" {
			c.ID = id
			continue
		}
		return ToolCall{}, fmt.Errorf("call %s: unexpected %q (want a JSON object, a quoted string, then id=ID)", name, f)
	}
	return c, nil
}

// quoteEnd returns the end of the Go-quoted string s starts with, or
// len(s) when it has no closing quote (which Unquote then reports).
func quoteEnd(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(s)
}

// isFunctionName reports whether s is a function name OpenAI accepts.
func isFunctionName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
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
