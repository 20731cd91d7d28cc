package fakegemini

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// A Scenario is a script of model turns, read from a txtar file whose
// sections are the turns in order (see the package documentation for the
// format). It is immutable once parsed.
type Scenario struct {
	Name    string // file name, used in messages
	Comment string // the archive's leading comment
	Steps   []*Step
}

// A Step is one scripted turn with the expectations on the request it
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
		p := &stepParser{sc: sc, st: st}
		for i, l := range strings.Split(strings.TrimSuffix(string(f.Data), "\n"), "\n") {
			if err := p.line(strings.TrimSpace(l)); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, line+1+i, err)
			}
		}
		if err := p.done(); err != nil {
			return nil, fmt.Errorf("%s:%d: turn %q: %v", name, line, f.Name, err)
		}
		sc.Steps = append(sc.Steps, st)
		line += 1 + bytes.Count(f.Data, []byte("\n"))
	}
	if len(sc.Steps) == 0 {
		return nil, fmt.Errorf("%s:%d: no turns: a scenario needs at least one -- section --", name, line)
	}
	return sc, nil
}

type stepParser struct {
	sc *Scenario
	st *Step
	n  int // directives seen, to derive signatures
}

var statusName = regexp.MustCompile(`^[A-Z][A-Z_]+$`)

func (p *stepParser) line(l string) error {
	if l == "" || strings.HasPrefix(l, "#") {
		return nil
	}
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
		s, err := textArg(arg)
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

func (p *stepParser) done() error {
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
			raw := fmt.Sprintf("fakegemini:%s:%s:%d", p.sc.Name, p.st.Label, p.n)
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
