// Package agent runs the host's agent loop: a model turn, then the host-side
// tool calls it asked for, then the next turn with their results, until the
// model answers without calling a tool, hands a call to the client, or a step
// limit is reached.
//
// Everything the loop does is reported as Events to one emit function; the
// server turns them into SSE frames or a single JSON answer.
package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/llm"
)

// Toolbox runs the host's tools. *toolbox.Toolbox implements it.
type Toolbox interface {
	Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error)
}

// A Refusal is the error of a Toolbox that would not run a call, as when
// the user said no: the call's result is Reason, for the model to read,
// and its event is marked Refused rather than a failure of the tool.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return r.Reason }

// DefaultMaxSteps is the number of model turns a run may take when
// Options.MaxSteps is zero.
const DefaultMaxSteps = 25

// DefaultMaxToolCalls is the number of host tool calls one model turn may
// start when Options.MaxToolCalls is zero.
const DefaultMaxToolCalls = 16

// Options configure an Agent. The zero value is usable.
type Options struct {
	// MaxSteps caps the model turns of one run (default DefaultMaxSteps).
	MaxSteps int
	// MaxToolCalls caps the host tool calls one turn may start, all at
	// once (default DefaultMaxToolCalls); calls past it get an error
	// result, and the model may ask again in its next turn.
	MaxToolCalls int
	Logger       *slog.Logger
}

// Agent runs conversations on one provider with one toolbox. It is safe for
// concurrent use: each Run is independent.
type Agent struct {
	provider     llm.Provider
	tools        Toolbox
	maxSteps     int
	maxToolCalls int
	logger       *slog.Logger
}

// New returns an Agent. tools may be nil when the host runs no tools; opts
// may be nil.
func New(p llm.Provider, tools Toolbox, opts *Options) *Agent {
	a := &Agent{provider: p, tools: tools, maxSteps: DefaultMaxSteps, maxToolCalls: DefaultMaxToolCalls, logger: slog.New(slog.DiscardHandler)}
	if opts != nil {
		if opts.MaxSteps > 0 {
			a.maxSteps = opts.MaxSteps
		}
		if opts.MaxToolCalls > 0 {
			a.maxToolCalls = opts.MaxToolCalls
		}
		if opts.Logger != nil {
			a.logger = opts.Logger
		}
	}
	return a
}

// Input is what one run works on.
type Input struct {
	// Request is the conversation. Run appends the turns it makes to a copy
	// of its messages; the caller's slice is not modified. Its Tools are
	// the only ones that run: the model may name another (a prompt
	// injection may ask it to), and gets an error result instead.
	Request *llm.Request
	// ClientTools names the tools of Request.Tools that the client runs
	// itself: a turn that calls one ends the run, handing the calls to the
	// client. Every other declared tool is run by the host's Toolbox.
	ClientTools map[string]bool
}

// Run runs the loop until the model is done, emitting every event. It
// returns the provider's error, ctx's error, or the first error emit
// returns. The last event of a successful run is EventFinish.
//
// emit is called from one goroutine at a time.
func (a *Agent) Run(ctx context.Context, in Input, emit func(Event) error) error {
	req := *in.Request
	req.Messages = append([]llm.Message(nil), req.Messages...)
	var total llm.Usage
	wrote := false // whether an earlier turn wrote text
	for step := 0; ; step++ {
		if step == a.maxSteps {
			text := fmt.Sprintf("\n\nI stopped after %d model turns: that is the host's step limit (-max-steps), and the task is not finished. Ask me to continue to go on from here.", a.maxSteps)
			if err := emit(Event{Kind: EventText, Text: text}); err != nil {
				return err
			}
			return a.finish(emit, total, step, llm.FinishStop)
		}
		turn, err := a.modelTurn(ctx, &req, wrote, emit)
		if err != nil {
			return err
		}
		wrote = wrote || len(turn.text) > 0
		total.Add(turn.usage)
		if len(turn.calls) == 0 {
			return a.finish(emit, total, step+1, turn.finish)
		}
		req.Messages = append(req.Messages, turn.message())
		if clientCalls := turn.clientCalls(in.ClientTools); len(clientCalls) > 0 {
			// The client runs these. Host calls of the same turn are not
			// run: the model never saw their results, and may ask again.
			if err := emit(Event{Kind: EventClientToolCalls, ToolCalls: clientCalls}); err != nil {
				return err
			}
			return a.finish(emit, total, step+1, llm.FinishToolCalls)
		}
		results, err := a.runTools(ctx, turn.calls, offered(req.Tools), emit)
		if err != nil {
			return err
		}
		req.Messages = append(req.Messages, toolMessage(results))
		// A forced tool call (tool_choice "required" or a named function)
		// has been made and run: forcing it again would make the model call
		// a tool on every turn, to the step limit. The next turns choose.
		if req.ToolChoice.Mode == llm.ToolChoiceRequired || req.ToolChoice.Function != "" {
			req.ToolChoice = llm.ToolChoice{}
		}
	}
}

func (a *Agent) finish(emit func(Event) error, total llm.Usage, steps int, reason llm.FinishReason) error {
	if err := emit(Event{Kind: EventUsage, Usage: &total}); err != nil {
		return err
	}
	if reason == "" {
		reason = llm.FinishStop
	}
	return emit(Event{Kind: EventFinish, Finish: reason, Steps: steps})
}

// turn is what one model turn produced.
type turn struct {
	text   []byte
	calls  []llm.ToolCall
	usage  llm.Usage
	finish llm.FinishReason
}

func (t *turn) message() llm.Message {
	m := llm.Message{Role: llm.RoleAssistant}
	if len(t.text) > 0 {
		m.Parts = append(m.Parts, llm.Part{Text: string(t.text)})
	}
	for i := range t.calls {
		m.Parts = append(m.Parts, llm.Part{ToolCall: &t.calls[i]})
	}
	return m
}

// clientCalls are the calls of the turn the client runs. Gemini signs only
// the first call of a turn; when that one is the host's, its signature goes
// with the first client call, or the history the client sends back would
// hold a turn with no signature at all, which Gemini 3 refuses.
func (t *turn) clientCalls(client map[string]bool) []llm.ToolCall {
	var out []llm.ToolCall
	var sig []byte
	for _, c := range t.calls {
		if client[c.Name] {
			out = append(out, c)
		} else if sig == nil {
			sig = c.Signature
		}
	}
	if len(out) > 0 && len(sig) > 0 && !slices.ContainsFunc(out, func(c llm.ToolCall) bool { return len(c.Signature) > 0 }) {
		out[0].Signature = sig
	}
	return out
}

// modelTurn streams one turn, emitting text and reasoning as they come. The
// text of a turn that follows earlier text starts a new paragraph, so the
// turns of one answer do not run into each other.
func (a *Agent) modelTurn(ctx context.Context, req *llm.Request, separate bool, emit func(Event) error) (*turn, error) {
	t := &turn{}
	for d, err := range a.provider.Stream(ctx, req) {
		if err != nil {
			return nil, err
		}
		if d.Reasoning != "" {
			if err := emit(Event{Kind: EventReasoning, Text: d.Reasoning}); err != nil {
				return nil, err
			}
		}
		if d.Text != "" {
			text := d.Text
			if separate && len(t.text) == 0 {
				text = "\n\n" + text
			}
			t.text = append(t.text, d.Text...)
			if err := emit(Event{Kind: EventText, Text: text}); err != nil {
				return nil, err
			}
		}
		t.calls = append(t.calls, d.ToolCalls...)
		if d.Usage != nil {
			t.usage = *d.Usage
		}
		if d.Finish != "" {
			t.finish = d.Finish
		}
	}
	return t, ctx.Err()
}

// offered returns the names of tools, which are the tools a run may call.
func offered(tools []llm.Tool) []string {
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.Name
	}
	return names
}

// runTools runs the host's calls concurrently. Results are emitted as they
// complete and returned in call order. A call of a tool that was not
// offered, or past the turn's cap, does not run: its result is an error
// the model can read.
func (a *Agent) runTools(ctx context.Context, calls []llm.ToolCall, offered []string, emit func(Event) error) ([]llm.ToolResult, error) {
	type done struct {
		i       int
		result  llm.ToolResult
		took    time.Duration
		refused bool
	}
	ch := make(chan done, len(calls))
	started := 0
	for i := range calls {
		if err := emit(Event{Kind: EventToolCall, ToolCall: &calls[i]}); err != nil {
			return nil, err
		}
		if refusal := a.refuse(calls[i], offered, started); refusal != "" {
			a.logger.LogAttrs(ctx, slog.LevelWarn, "tool call refused", slog.String("tool", calls[i].Name), slog.String("reason", refusal))
			ch <- done{i: i, result: llm.ToolResult{CallID: calls[i].ID, Name: calls[i].Name, IsError: true, Content: refusal}, refused: true}
			continue
		}
		started++
		go func() {
			start := time.Now()
			r, refused := a.call(ctx, calls[i])
			ch <- done{i: i, result: r, took: time.Since(start), refused: refused}
		}()
	}
	results := make([]llm.ToolResult, len(calls))
	for range calls {
		d := <-ch
		results[d.i] = d.result
		a.logger.LogAttrs(ctx, slog.LevelInfo, "tool call", slog.String("tool", d.result.Name),
			slog.Duration("took", d.took), slog.Bool("error", d.result.IsError))
		if err := emit(Event{Kind: EventToolResult, ToolResult: &d.result, Duration: d.took, Refused: d.refused}); err != nil {
			// The remaining goroutines write to the buffered channel and end.
			return nil, err
		}
	}
	return results, ctx.Err()
}

// refuse says why c may not run, or "" when it may.
func (a *Agent) refuse(c llm.ToolCall, offered []string, started int) string {
	if !slices.Contains(offered, c.Name) {
		list := "none"
		if len(offered) > 0 {
			list = strings.Join(offered, ", ")
		}
		return fmt.Sprintf("tool %q was not offered in this conversation, so it was not run; the tools you may call are: %s", c.Name, list)
	}
	if started >= a.maxToolCalls {
		return fmt.Sprintf("not run: one turn may start at most %d tool calls; call this one again in your next turn", a.maxToolCalls)
	}
	return ""
}

// call runs one tool call; every failure becomes an error result the model
// can read.
func (a *Agent) call(ctx context.Context, c llm.ToolCall) (r llm.ToolResult, refused bool) {
	r = llm.ToolResult{CallID: c.ID, Name: c.Name}
	if a.tools == nil {
		r.IsError, r.Content = true, fmt.Sprintf("tool %q is not available: the host runs no tools", c.Name)
		return r, false
	}
	res, err := a.tools.Call(ctx, c.Name, c.Arguments)
	var refusal *Refusal
	switch {
	case errors.As(err, &refusal):
		r.IsError, r.Content = true, refusal.Reason
		return r, true
	case err != nil:
		r.IsError, r.Content = true, fmt.Sprintf("calling tool %s: %v", c.Name, err)
		return r, false
	}
	fromMCP(&r, res)
	return r, false
}

func toolMessage(results []llm.ToolResult) llm.Message {
	m := llm.Message{Role: llm.RoleTool, Parts: make([]llm.Part, len(results))}
	for i := range results {
		m.Parts[i] = llm.Part{ToolResult: &results[i]}
	}
	return m
}
