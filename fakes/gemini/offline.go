package fakegemini

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"text/template"
)

//go:embed offline.md
var offlineGreeting string

var greeting = template.Must(template.New("offline").Parse(offlineGreeting))

// Offline returns the built-in offline model: a deterministic Responder
// that answers any conversation without a network, a small agent that
// calls the declared tools for what the user asks and reports what they
// answered. It is safe for concurrent use.
//
// It reads the last user text as clauses, split at ";", at the end of a
// sentence, at "then" and at "and" before a verb, and matches each with
// the first of these intents (case-insensitively; a declared tool named
// "prefix_NAME" answers to NAME too), calling the first of the tools
// listed that the request declares:
//
//	run/execute + `command` (else the rest of the prompt)  -> Bash {"command"}
//	sleep/pause/wait + N [ms|minutes]                       -> sleep {"seconds"}, else Bash "sleep N"
//	verify/check/confirm + exists/it/contains, on a path    -> LS {"path": its folder}, else View, GlobTool, Bash
//	or on the file written just before                         (View first when it asks about the text)
//	create/make a file, write/save + a path, with "TEXT"    -> Replace {"file_path", "content"},
//	                                                           else Edit {"old_string": ""}, else Bash printf
//	find/search + .EXT, "go files", named NAME, main.go     -> GlobTool {"pattern": "**/*.EXT", "path": working dir},
//	                                                           else Bash find
//	find + containing "TEXT" (or search for "TEXT")         -> GrepTool {"pattern", "include", "path"}, else Bash grep
//	list/ls/files/what is in + the current directory,       -> LS {"path": working dir}, else Bash "pwd && ls -la",
//	or list with no path                                       else GlobTool {"pattern": "*"}
//	list/ls/files in + a path                               -> LS {"path"}, else Bash ls -la, else GlobTool
//	read/show/view/cat/open + a path                        -> View {"file_path"}, else Bash cat
//
// A clause that names a declared tool calls it: "use get_weather for
// Paris", "list /tmp with GlobTool" (a name that could be a word, such as
// Bash, counts after use, call, with... or before "tool"). Arguments
// are built from the tool's schema and the clause: an intent's call sends
// the intent's values; a named tool's, the quoted strings, paths, numbers,
// proper nouns and the enum values the clause holds, each used once (a
// field about paths takes a path, a query, prompt or command field the
// clause itself). Every required field is filled, with a placeholder of
// its type when nothing fits: its default, else its minimum, false, an
// empty list, or the clause if it is three words at most, else "example".
//
// Relative paths are resolved against the working directory that the
// system instruction (else a user text) gives, as "working directory:
// /abs/path", else its first root ("roots: /a"); without one they are
// sent as written.
//
// It does the first 16 things a prompt asks. Clauses joined by "and" are
// called together, in one turn; "then", and a
// verification of what the prompt wrote, wait for the results of the
// turn before. When a turn's results come back, the model quotes each in
// a fenced code block (whole up to 4 KB of whole lines, saying how much
// it left out), then calls the next step or ends: after an error it stops
// there, and after a verification it says whether the file is there.
//
// It honours toolConfig.functionCallingConfig: in mode NONE it never
// calls and says what it would have called; in mode ANY every turn calls
// (as Gemini does, so a client that forces tool calls decides when to
// stop): the best match, else the first declared tool with arguments
// from its schema, only among allowedFunctionNames when they are given.
//
// With nothing to call it greets and explains how to configure Google
// credentials, or says which tool it would use had the request declared
// it. Its text streams a few words per chunk; its calls carry an id, and
// the first of a turn a thought signature, so clients exercise the
// signature round trip. A request that asks for images
// (responseModalities IMAGE, as image models are called for generation and
// editing) gets a line of text and a placeholder PNG ([Placeholder])
// instead.
func Offline() Responder {
	return ResponderFunc(offline)
}

// conversation is what the offline model reads of a request.
type conversation struct {
	text    string // the user's last text
	wd      string // the tools' working directory, if told
	mode    string // AUTO, ANY or NONE
	tools   []*FunctionDeclaration
	results []*FunctionResponse // the results the request ends with
	turns   int                 // the model's turns with calls since the user's text
}

func read(req *Request) *conversation {
	c := &conversation{wd: workDir(req), mode: "AUTO", results: req.FunctionResponses()}
	var allowed []string
	if tc := req.ToolConfig; tc != nil && tc.FunctionCallingConfig != nil {
		switch m := strings.ToUpper(tc.FunctionCallingConfig.Mode); m {
		case "ANY", "NONE":
			c.mode, allowed = m, tc.FunctionCallingConfig.AllowedFunctionNames
		}
	}
	for _, d := range req.Declarations() {
		if d != nil && (c.mode != "ANY" || len(allowed) == 0 || slices.Contains(allowed, d.Name)) {
			c.tools = append(c.tools, d)
		}
	}
	for i := len(req.Contents) - 1; i >= 0; i-- {
		ct := req.Contents[i]
		if ct == nil {
			continue
		}
		if ct.Role == "model" {
			if hasPart(ct, func(p *Part) bool { return p.FunctionCall != nil }) {
				c.turns++
			}
			continue
		}
		if t := contentText(ct); t != "" && !hasPart(ct, func(p *Part) bool { return p.FunctionResponse != nil }) {
			c.text = t
			break
		}
	}
	return c
}

func hasPart(c *Content, f func(*Part) bool) bool {
	for _, p := range c.Parts {
		if p != nil && f(p) {
			return true
		}
	}
	return false
}

// A step is the calls of one turn, and the verifications among them.
type step struct {
	calls  []plannedCall
	checks []*check
}

type plannedCall struct {
	name string
	args map[string]any
}

// plan is what the model does for the user's text, turn by turn; missing
// are the tools it would have used but the request lacks.
type plan struct {
	steps   []step
	missing []string
}

func (c *conversation) plan() plan {
	pl := &planner{wd: c.wd}
	var p plan
	for _, t := range pl.tasks(c.text) {
		call, ok := c.choose(t)
		if !ok {
			if len(t.options) > 0 && !slices.Contains(p.missing, t.options[0].tool) {
				p.missing = append(p.missing, t.options[0].tool)
			}
			continue
		}
		if len(p.steps) == 0 || t.later {
			p.steps = append(p.steps, step{})
		}
		s := &p.steps[len(p.steps)-1]
		s.calls = append(s.calls, call)
		if t.check != nil {
			s.checks = append(s.checks, t.check)
		}
	}
	return p
}

// choose picks the declared tool for t: among the tools the clause names,
// the first of the options, else the first named; else the first option
// declared.
func (c *conversation) choose(t task) (plannedCall, bool) {
	var named []*FunctionDeclaration
	for _, d := range c.tools {
		if asks(&t.clause, d.Name) {
			named = append(named, d)
		}
	}
	among := c.tools
	if len(named) > 0 {
		among = named
	}
	for _, o := range t.options {
		if d := findTool(among, o.tool); d != nil {
			return plannedCall{d.Name, buildArgs(d, o.args, newFacts(t.clause, d.Name, c.wd), false)}, true
		}
	}
	if len(named) > 0 {
		d := named[0]
		f := newFacts(t.clause, d.Name, c.wd)
		if f.text == "" { // "use get_time" after the question
			f = newFacts(c.whole(), d.Name, c.wd)
		}
		return plannedCall{d.Name, buildArgs(d, nil, f, true)}, true
	}
	return plannedCall{}, false
}

// whole is the user's text as one clause.
func (c *conversation) whole() clause {
	qs := quotes(c.text)
	return clause{text: c.text, plain: blank(c.text, qs), quoted: qs, rest: c.text}
}

// fallback is the call of mode ANY when nothing matches: the first tool
// it may call, with arguments from its schema and the whole text.
func (c *conversation) fallback() []plannedCall {
	if len(c.tools) == 0 {
		return nil
	}
	d := c.tools[0]
	return []plannedCall{{d.Name, buildArgs(d, nil, newFacts(c.whole(), d.Name, c.wd), true)}}
}

func offline(ctx context.Context, req *Request) (*Turn, error) {
	if wantsImage(req) {
		return offlineImage(ctx, req), nil
	}
	c := read(req)
	say, calls := c.answer(c.plan(), req)
	var names []string
	for _, call := range calls {
		names = append(names, call.name)
	}
	var chunks []Chunk
	if tc := req.GenerationConfig; len(calls) > 0 && tc != nil && tc.ThinkingConfig != nil && tc.ThinkingConfig.IncludeThoughts {
		chunks = append(chunks, Thought(fmt.Sprintf("The user asks for what %s does; I will call it.", strings.Join(names, " and "))))
	}
	if len(calls) > 0 {
		say = append(say, calling(names))
	}
	chunks = append(chunks, textChunks(strings.Join(say, "\n\n"))...)
	if len(calls) > 0 {
		chunks = append(chunks, callChunk(calls, len(req.Contents)))
	}
	return &Turn{Chunks: chunks}, nil
}

// answer decides the turn: the paragraphs to say, and the calls to make.
func (c *conversation) answer(p plan, req *Request) (say []string, calls []plannedCall) {
	if len(c.results) > 0 {
		say = append(say, report(c.results))
		if c.turns > 0 && c.turns <= len(p.steps) {
			for _, ck := range p.steps[c.turns-1].checks {
				if s := conclude(ck, c.results); s != "" {
					say = append(say, s)
				}
			}
		}
	} else if c.mode != "ANY" {
		for _, m := range p.missing {
			say = append(say, fmt.Sprintf("I would use the `%s` tool for that, but this request declares no such tool. "+
				"Start the server with the %s MCP server (for example `-mcpservers \"%s\"`) and ask again.", m, m, m))
		}
	}
	pending := c.turns < len(p.steps)
	switch {
	case c.mode == "NONE" && len(c.results) == 0 && len(p.steps) > 0:
		say = append(say, "Tool calls are turned off for this request (tool_choice \"none\", function calling mode NONE), so I only say what I would do: call "+wouldCall(p.steps[0])+".")
	case c.mode == "NONE" && len(c.results) > 0 && pending:
		say = append(say, "Tool calls are turned off for this request, so I stop here; next I would call "+wouldCall(p.steps[c.turns])+".")
	case c.mode == "NONE":
	case pending && (!c.failed() || c.mode == "ANY"):
		calls = p.steps[c.turns].calls
	case c.mode == "ANY" && len(p.steps) > 0:
		calls = p.steps[0].calls
	case c.mode == "ANY":
		calls = c.fallback()
	case pending:
		say = append(say, "I stopped there: what comes next needed that call to succeed.")
	}
	if len(say) == 0 && len(calls) == 0 {
		say = append(say, greet(req))
	}
	return say, calls
}

// failed reports whether a result the request ends with is an error.
func (c *conversation) failed() bool {
	for _, r := range c.results {
		if _, isErr := r.Response["error"]; isErr {
			return true
		}
	}
	return false
}

// callChunk puts the turn's calls in one chunk, as Gemini sends parallel
// calls: each with an id, the first with a thought signature.
func callChunk(calls []plannedCall, turn int) Chunk {
	var ch Chunk
	for i, call := range calls {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s %v %d %d", call.name, call.args, turn, i))
		p := &Part{FunctionCall: &FunctionCall{ID: "offline-" + hex.EncodeToString(sum[:6]), Name: call.name, Args: call.args}}
		if i == 0 {
			p.ThoughtSignature = base64.StdEncoding.EncodeToString(append([]byte("offline:"), sum[:]...))
		}
		ch.Parts = append(ch.Parts, p)
	}
	return ch
}

// wouldCall describes the calls of a step for a sentence.
func wouldCall(s step) string {
	var out []string
	for _, c := range s.calls {
		out = append(out, describe(c.name, c.args))
	}
	return strings.Join(out, " and ")
}

// findTool returns the declaration named name, or PREFIX_name, ignoring case.
func findTool(decls []*FunctionDeclaration, name string) *FunctionDeclaration {
	for _, d := range decls {
		n := strings.ToLower(d.Name)
		if n == strings.ToLower(name) || strings.HasSuffix(n, "_"+strings.ToLower(name)) {
			return d
		}
	}
	return nil
}

func greet(req *Request) string {
	var names []string
	for _, d := range req.Declarations() {
		names = append(names, "`"+d.Name+"`")
	}
	var b strings.Builder
	greeting.Execute(&b, struct{ Tools string }{strings.Join(names, ", ")})
	return strings.TrimSpace(b.String())
}
