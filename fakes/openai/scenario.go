package fakeopenai

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// A Scenario is a script of answers, read from a txtar file whose sections
// are the turns in order (see the package documentation for the format).
// It is immutable once parsed.
type Scenario struct {
	Name    string // file name, used in messages
	Comment string // the archive's leading comment
	Steps   []*Step
}

// A Step is one scripted answer with the expectations on the request it
// answers.
type Step struct {
	Label  string // section name
	Line   int    // line of the section marker
	Expect []Expectation
	Turn   *Turn
}

func (st *Step) where(sc *Scenario) string {
	return fmt.Sprintf("%s:%d (%s)", sc.Name, st.Line, st.Label)
}

// LoadScenario reads and parses a scenario file.
func LoadScenario(file string) (*Scenario, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading scenario: %w", err)
	}
	return ParseScenario(file, data)
}

// ParseScenario parses a scenario; name is used in error messages, which
// have the form "name:line: message".
func ParseScenario(name string, data []byte) (*Scenario, error) {
	ar := txtar.Parse(data)
	sc := &Scenario{Name: name, Comment: string(ar.Comment)}
	line := 1 + bytes.Count(ar.Comment, []byte("\n"))
	for _, f := range ar.Files {
		st := &Step{Label: f.Name, Line: line, Turn: &Turn{}}
		for i, l := range strings.Split(strings.TrimSuffix(string(f.Data), "\n"), "\n") {
			if err := st.parse(strings.TrimSpace(l)); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, line+1+i, err)
			}
		}
		if t := st.Turn; t.Err != nil && len(t.Chunks) > 0 {
			return nil, fmt.Errorf("%s:%d: turn %q: error answers alone; drop the text lines", name, line, f.Name)
		}
		sc.Steps = append(sc.Steps, st)
		line += 1 + bytes.Count(f.Data, []byte("\n"))
	}
	if len(sc.Steps) == 0 {
		return nil, fmt.Errorf("%s:%d: no turns: a scenario needs at least one -- section --", name, line)
	}
	return sc, nil
}

var finishReason = regexp.MustCompile(`^(stop|length|tool_calls|content_filter|function_call)$`)

func (st *Step) parse(l string) error {
	if l == "" || strings.HasPrefix(l, "#") {
		return nil
	}
	verb, arg, _ := strings.Cut(l, " ")
	arg = strings.TrimSpace(arg)
	t := st.Turn
	switch verb {
	case "text":
		s, err := textArg(arg)
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
		st.Expect = append(st.Expect, e)
	default:
		return fmt.Errorf("unknown directive %q (want text, finish, usage, model, delay, error or expect)", verb)
	}
	return nil
}

// textArg is the rest of the line, or a Go-quoted string for text with
// leading spaces or newlines.
func textArg(arg string) (string, error) {
	if !strings.HasPrefix(arg, `"`) {
		return arg, nil
	}
	s, err := strconv.Unquote(arg)
	if err != nil {
		return "", fmt.Errorf("bad quoted text %s: %v", arg, err)
	}
	return s, nil
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
