package fakegemini

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// A Scenario is a script of model turns, read from a txtar file whose
// sections are the turns in order (see the package documentation for the
// format). Its Name is the file name, used in messages; Comment is the
// archive's leading comment. It is immutable once parsed.
type Scenario = scenario.Scenario[Expectation, Turn]

// A Step is one scripted turn with the expectations on the request it
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
		return &stepParser{name: name, st: st}
	})
}

// stepParser reads the directives of one turn.
type stepParser struct {
	name string // the scenario's, to derive signatures
	st   *Step
	n    int // directives seen, to derive signatures
}

var statusName = regexp.MustCompile(`^[A-Z][A-Z_]+$`)

func (p *stepParser) Line(l string) error {
	p.n++
	join := false
	if rest, ok := strings.CutPrefix(l, "+"); ok {
		join, l = true, strings.TrimSpace(rest)
	}
	verb, arg, _ := strings.Cut(l, " ")
	arg = strings.TrimSpace(arg)
	t := p.st.Turn
	var part *Part
	switch verb {
	case "text", "thought":
		s, err := scenario.Text(arg)
		if err != nil {
			return err
		}
		part = &Part{Text: s, Thought: verb == "thought"}
	case "call":
		c, err := p.call(arg)
		if err != nil {
			return err
		}
		part = c
	case "finish":
		reason, msg, _ := strings.Cut(arg, " ")
		if !statusName.MatchString(reason) {
			return fmt.Errorf("finish wants a reason such as STOP, MAX_TOKENS, SAFETY, MALFORMED_FUNCTION_CALL; got %q", reason)
		}
		t.FinishReason, t.FinishMessage = reason, strings.TrimSpace(msg)
	case "usage":
		u, err := usageArg(arg)
		if err != nil {
			return err
		}
		t.Usage = u
	case "block":
		reason, msg, _ := strings.Cut(arg, " ")
		if !statusName.MatchString(reason) {
			return fmt.Errorf("block wants a reason such as SAFETY, OTHER, PROHIBITED_CONTENT; got %q", reason)
		}
		t.PromptFeedback = &PromptFeedback{BlockReason: reason, BlockReasonMessage: strings.TrimSpace(msg)}
	case "error", "fail":
		e, err := errorArg(arg)
		if err != nil {
			return fmt.Errorf("%s: %v", verb, err)
		}
		if verb == "error" {
			t.Err = e
		} else {
			t.Fail = e
		}
	case "cut":
		t.Cut = true
	case "version":
		t.ModelVersion = arg
	case "expect":
		e, err := expectArg(arg)
		if err != nil {
			return err
		}
		p.st.Expect = append(p.st.Expect, e)
	default:
		return fmt.Errorf("unknown directive %q (want text, thought, call, finish, usage, block, error, fail, cut, version or expect)", verb)
	}
	if part == nil {
		if join {
			return fmt.Errorf("only text, thought and call lines can join a chunk with +")
		}
		return nil
	}
	if join {
		if len(t.Chunks) == 0 {
			return fmt.Errorf("+ joins the previous chunk, but there is none")
		}
		last := &t.Chunks[len(t.Chunks)-1]
		last.Parts = append(last.Parts, part)
		return nil
	}
	t.Chunks = append(t.Chunks, Chunk{Parts: []*Part{part}})
	return nil
}

func (p *stepParser) Done() error {
	t := p.st.Turn
	switch {
	case t.Err != nil && (len(t.Chunks) > 0 || t.Fail != nil || t.Cut || t.PromptFeedback != nil):
		return fmt.Errorf("error answers before any chunk and stands alone; use fail for an error after some chunks")
	case t.PromptFeedback != nil && len(t.Chunks) > 0:
		return fmt.Errorf("a blocked prompt (block) has no chunks")
	case t.Fail != nil && t.Cut:
		return fmt.Errorf("fail and cut both end the stream; pick one")
	}
	return nil
}

// call parses "NAME [ARGS-JSON] [id=ID] [sig=SIG|sig=auto]".
func (p *stepParser) call(arg string) (*Part, error) {
	name, rest, _ := strings.Cut(arg, " ")
	if !functionName.MatchString(name) {
		return nil, fmt.Errorf("call wants a function name first, got %q", name)
	}
	fc := &FunctionCall{Name: name}
	part := &Part{FunctionCall: fc}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "{") {
		dec := json.NewDecoder(strings.NewReader(rest))
		if err := dec.Decode(&fc.Args); err != nil {
			return nil, fmt.Errorf("call %s: arguments are not a JSON object: %v", name, err)
		}
		rest = rest[dec.InputOffset():]
	}
	for _, f := range strings.Fields(rest) {
		k, v, ok := strings.Cut(f, "=")
		switch {
		case ok && k == "id" && v != "":
			fc.ID = v
		case ok && k == "sig" && v == "auto":
			raw := fmt.Sprintf("fakegemini:%s:%s:%d", p.name, p.st.Label, p.n)
			part.ThoughtSignature = base64.StdEncoding.EncodeToString([]byte(raw))
		case ok && k == "sig" && v != "":
			if _, err := base64.StdEncoding.DecodeString(v); err != nil {
				return nil, fmt.Errorf("call %s: sig must be standard base64 or auto: %v", name, err)
			}
			part.ThoughtSignature = v
		default:
			return nil, fmt.Errorf("call %s: unexpected %q (want id=ID or sig=BASE64|auto)", name, f)
		}
	}
	return part, nil
}

// usageArg parses "prompt=N candidates=N thoughts=N cached=N total=N".
func usageArg(arg string) (*UsageMetadata, error) {
	u := &UsageMetadata{}
	fields := map[string]*int{
		"prompt": &u.PromptTokenCount, "candidates": &u.CandidatesTokenCount,
		"thoughts": &u.ThoughtsTokenCount, "cached": &u.CachedContentTokenCount,
		"total": &u.TotalTokenCount,
	}
	for _, f := range strings.Fields(arg) {
		k, v, _ := strings.Cut(f, "=")
		dst, ok := fields[k]
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("usage: bad field %q (want prompt=, candidates=, thoughts=, cached=, total= with counts)", f)
		}
		*dst = n
	}
	return u, nil
}

// errorArg parses "CODE [STATUS] message"; STATUS defaults to the
// canonical one for CODE.
func errorArg(arg string) (*Error, error) {
	code, rest, _ := strings.Cut(arg, " ")
	n, err := strconv.Atoi(code)
	if err != nil || n < 400 || n > 599 {
		return nil, fmt.Errorf("want an HTTP error code (400-599) first, got %q", code)
	}
	e := newError(n, "%s", strings.TrimSpace(rest))
	if status, msg, _ := strings.Cut(e.Message, " "); isStatus(status) {
		e.Status, e.Message = status, strings.TrimSpace(msg)
	}
	return e, nil
}
