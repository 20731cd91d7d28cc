package fakegemini

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// A Scenario is a script of model turns, one Step per request, in order.
// ParseScenario and LoadScenario read one from a txtar file (see the
// package documentation for the format); a test may also build one in Go.
// A Scenario must not change once a Script plays it.
type Scenario struct {
	// Name names the scenario in messages: the file name, for a parsed one.
	Name string
	// Comment is the txtar archive's leading comment.
	Comment string
	// Steps are the turns, in the order the requests must come.
	Steps []*Step
}

// A Step is one scripted turn with the expectations on the request it
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
	sc, err := scenario.Parse(name, data, func(st *scenario.Step[Expectation, Turn]) scenario.StepParser {
		return &stepParser{name: name, st: (*Step)(st)}
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
	switch verb {
	case "text", "thought", "call", "code", "result":
		return p.partLine(verb, arg, join)
	}
	if join {
		return fmt.Errorf("only text, thought, call, code and result lines can join a chunk with +")
	}
	return p.turnLine(verb, arg)
}

// partLine reads a directive that makes a part of the answer: a chunk of
// its own, or joined to the previous one with +.
func (p *stepParser) partLine(verb, arg string, join bool) error {
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
		c, stream, err := p.call(arg)
		if err != nil {
			return err
		}
		if stream != nil {
			if join {
				return fmt.Errorf("a call that streams its arguments is a chunk of its own: drop the +")
			}
			t.Chunks = append(t.Chunks, Chunk{Parts: []*Part{c}, Stream: stream})
			return nil
		}
		part = c
	default: // code, result
		c, err := codePart(verb, arg)
		if err != nil {
			return err
		}
		part = c
	}
	if !join {
		t.Chunks = append(t.Chunks, Chunk{Parts: []*Part{part}})
		return nil
	}
	if len(t.Chunks) == 0 {
		return fmt.Errorf("+ joins the previous chunk, but there is none")
	}
	last := &t.Chunks[len(t.Chunks)-1]
	if last.Stream != nil {
		return fmt.Errorf("+ cannot join a call that streams its arguments")
	}
	last.Parts = append(last.Parts, part)
	return nil
}

// turnLine reads a directive about the turn as a whole: its signature,
// metadata, finish, usage, errors and expectations.
func (p *stepParser) turnLine(verb, arg string) error {
	t := p.st.Turn
	switch verb {
	case "sig":
		if len(t.Chunks) == 0 {
			return fmt.Errorf("sig signs the previous part, but there is none")
		}
		last := t.Chunks[len(t.Chunks)-1]
		sig, err := p.signature(arg)
		if err != nil {
			return err
		}
		last.Parts[len(last.Parts)-1].ThoughtSignature = sig
	case "grounding", "urlcontext":
		if !json.Valid([]byte(arg)) || !strings.HasPrefix(arg, "{") {
			return fmt.Errorf("%s wants a JSON object, got %q", verb, arg)
		}
		m := p.metadata()
		if verb == "grounding" {
			m.GroundingMetadata = json.RawMessage(arg)
		} else {
			m.URLContextMetadata = json.RawMessage(arg)
		}
	case "safety":
		r, err := safetyArg(arg)
		if err != nil {
			return err
		}
		m := p.metadata()
		m.SafetyRatings = append(m.SafetyRatings, r)
	case "content":
		switch arg {
		case "{}", "role", "none":
			t.FinishContent = arg
		default:
			return fmt.Errorf("content wants {}, role or none, got %q", arg)
		}
	case "detail":
		e := t.Fail
		if e == nil {
			e = t.Err
		}
		if e == nil {
			return fmt.Errorf("detail adds to an error or fail line, but there is none before it")
		}
		d, err := detailArg(arg)
		if err != nil {
			return fmt.Errorf("detail: %v", err)
		}
		e.Details = append(e.Details, d)
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
		return fmt.Errorf("unknown directive %q (want text, thought, call, code, result, sig, finish, content, usage, grounding, urlcontext, safety, block, error, fail, detail, cut, version or expect)", verb)
	}
	return nil
}

func (p *stepParser) Done() error {
	t := p.st.Turn
	refused := slices.ContainsFunc(p.st.Expect, func(e Expectation) bool { return e.Kind == "refused" })
	switch {
	case refused && (len(p.st.Expect) > 1 || !reflect.ValueOf(*t).IsZero()):
		return fmt.Errorf("expect refused stands alone: a refused request gets no answer and cannot be checked further")
	case t.Err != nil && (len(t.Chunks) > 0 || t.Fail != nil || t.Cut || t.PromptFeedback != nil):
		return fmt.Errorf("error answers before any chunk and stands alone; use fail for an error after some chunks")
	case t.PromptFeedback != nil && len(t.Chunks) > 0:
		return fmt.Errorf("a blocked prompt (block) has no chunks")
	case t.Fail != nil && t.Cut:
		return fmt.Errorf("fail and cut both end the stream; pick one")
	case t.FinishContent != "" && (t.Err != nil || t.Fail != nil || t.Cut || t.PromptFeedback != nil):
		return fmt.Errorf("content shapes the finish, which error, fail, cut and block leave out")
	}
	return nil
}

// metadata returns the candidate metadata that a directive sets: the
// previous chunk's, or the finishing candidate's before any chunk.
func (p *stepParser) metadata() *CandidateMetadata {
	t := p.st.Turn
	if len(t.Chunks) == 0 {
		return &t.Metadata
	}
	return &t.Chunks[len(t.Chunks)-1].Metadata
}

// signature parses "BASE64" or "auto", which makes one up from the
// scenario's name, the turn and the directive's rank.
func (p *stepParser) signature(v string) (string, error) {
	if v == "auto" {
		raw := fmt.Sprintf("fakegemini:%s:%s:%d", p.name, p.st.Label, p.n)
		return base64.StdEncoding.EncodeToString([]byte(raw)), nil
	}
	if v == "" {
		return "", fmt.Errorf("sig must be standard base64 or auto")
	}
	if _, err := base64.StdEncoding.DecodeString(v); err != nil {
		return "", fmt.Errorf("sig must be standard base64 or auto: %v", err)
	}
	return v, nil
}

// call parses "NAME [ARGS-JSON] [id=ID] [sig=SIG|sig=auto]
// [stream|stream=always] [unterminated]".
func (p *stepParser) call(arg string) (*Part, *ArgStream, error) {
	name, rest, _ := strings.Cut(arg, " ")
	if !functionName.MatchString(name) {
		return nil, nil, fmt.Errorf("call wants a function name first, got %q", name)
	}
	fc := &FunctionCall{Name: name}
	part := &Part{FunctionCall: fc}
	rest = strings.TrimSpace(rest)
	rawArgs := "{}"
	if strings.HasPrefix(rest, "{") {
		dec := json.NewDecoder(strings.NewReader(rest))
		if err := dec.Decode(&fc.Args); err != nil {
			return nil, nil, fmt.Errorf("call %s: arguments are not a JSON object: %v", name, err)
		}
		rawArgs, rest = rest[:dec.InputOffset()], rest[dec.InputOffset():]
	}
	var stream *ArgStream
	unterminated := false
	for _, f := range strings.Fields(rest) {
		k, v, ok := strings.Cut(f, "=")
		switch {
		case ok && k == "id" && v != "":
			fc.ID = v
		case ok && k == "sig":
			sig, err := p.signature(v)
			if err != nil {
				return nil, nil, fmt.Errorf("call %s: %v", name, err)
			}
			part.ThoughtSignature = sig
		case f == "stream" || f == "stream=always":
			args, err := streamedArgs(rawArgs)
			if err != nil {
				return nil, nil, fmt.Errorf("call %s: %v", name, err)
			}
			stream = &ArgStream{Args: args, Always: v == "always"}
		case f == "unterminated":
			unterminated = true
		default:
			return nil, nil, fmt.Errorf("call %s: unexpected %q (want id=ID, sig=BASE64|auto, stream, stream=always or unterminated)", name, f)
		}
	}
	if unterminated {
		if stream == nil {
			return nil, nil, fmt.Errorf("call %s: unterminated applies to a call with stream", name)
		}
		stream.Unterminated = true
	}
	return part, stream, nil
}

// usageArg parses "prompt=N candidates=N thoughts=N cached=N tooluse=N
// total=N traffic=TYPE".
func usageArg(arg string) (*UsageMetadata, error) {
	u := &UsageMetadata{}
	fields := map[string]*int{
		"prompt": &u.PromptTokenCount, "candidates": &u.CandidatesTokenCount,
		"thoughts": &u.ThoughtsTokenCount, "cached": &u.CachedContentTokenCount,
		"tooluse": &u.ToolUsePromptTokenCount, "total": &u.TotalTokenCount,
	}
	for _, f := range strings.Fields(arg) {
		k, v, _ := strings.Cut(f, "=")
		if k == "traffic" && statusName.MatchString(v) {
			u.TrafficType = v
			continue
		}
		dst, ok := fields[k]
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("usage: bad field %q (want prompt=, candidates=, thoughts=, cached=, tooluse=, total= with counts, or traffic=TYPE)", f)
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
