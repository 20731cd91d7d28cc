// Package llmtest provides a scripted llm.Provider for tests of the code
// above the provider: the agent loop and the HTTP server.
package llmtest

import (
	"context"
	"fmt"
	"iter"
	"sync"

	"github.com/owulveryck/gomcptest/host/llm"
)

// Turn is what the provider answers to one request: its deltas in order, or
// an error after them.
type Turn struct {
	Deltas []llm.Delta
	Err    error
	// Block, when set, holds the turn after its deltas until ctx is done,
	// to test cancellation.
	Block bool
}

// Provider answers requests with scripted turns, in order. It is safe for
// concurrent use.
type Provider struct {
	ModelList []llm.Model

	mu       sync.Mutex
	turns    []Turn
	next     int
	requests []*llm.Request
	// Loop, when set, answers every request with the same turns again
	// (for benchmarks): after the last turn comes the first.
	Loop bool
}

// New returns a provider serving model "test-model" that answers with turns.
func New(turns ...Turn) *Provider {
	return &Provider{ModelList: []llm.Model{{ID: "test-model", OwnedBy: "llmtest"}}, turns: turns}
}

// Models implements llm.Provider.
func (p *Provider) Models() []llm.Model { return p.ModelList }

// Stream implements llm.Provider. A request past the script is an error.
func (p *Provider) Stream(ctx context.Context, req *llm.Request) iter.Seq2[*llm.Delta, error] {
	return func(yield func(*llm.Delta, error) bool) {
		p.mu.Lock()
		if p.Loop && p.next == len(p.turns) {
			p.next = 0
		}
		if p.next == len(p.turns) {
			p.mu.Unlock()
			yield(nil, fmt.Errorf("llmtest: unexpected request %d: the script has %d turns", p.next+1, len(p.turns)))
			return
		}
		t := p.turns[p.next]
		p.next++
		if !p.Loop {
			p.requests = append(p.requests, clone(req))
		}
		p.mu.Unlock()
		for i := range t.Deltas {
			if ctx.Err() != nil {
				yield(nil, ctx.Err())
				return
			}
			if !yield(&t.Deltas[i], nil) {
				return
			}
		}
		if t.Block {
			<-ctx.Done()
			yield(nil, ctx.Err())
			return
		}
		if t.Err != nil {
			yield(nil, t.Err)
		}
	}
}

// Requests returns the requests received so far.
func (p *Provider) Requests() []*llm.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*llm.Request(nil), p.requests...)
}

// Unused is the number of scripted turns never requested.
func (p *Provider) Unused() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.turns) - p.next
}

func clone(r *llm.Request) *llm.Request {
	c := *r
	c.Messages = append([]llm.Message(nil), r.Messages...)
	return &c
}

// Text is a turn that answers with text chunks and stops.
func Text(chunks ...string) Turn {
	var t Turn
	for _, c := range chunks {
		t.Deltas = append(t.Deltas, llm.Delta{Text: c})
	}
	t.Deltas = append(t.Deltas, llm.Delta{Usage: &llm.Usage{PromptTokens: 10, CompletionTokens: len(chunks)}, Finish: llm.FinishStop})
	return t
}

// Calls is a turn that calls tools.
func Calls(calls ...llm.ToolCall) Turn {
	return Turn{Deltas: []llm.Delta{{ToolCalls: calls}, {Usage: &llm.Usage{PromptTokens: 10, CompletionTokens: 5}, Finish: llm.FinishToolCalls}}}
}
