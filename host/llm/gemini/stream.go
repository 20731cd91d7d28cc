package gemini

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strings"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
)

// turn digests the streamed responses of one generateContent call.
type turn struct {
	newCallID       func() string
	includeThoughts bool
	spent           llm.Usage // usage of earlier, retried attempts
	yield           func(*llm.Delta, error) bool

	yielded  bool                                        // a delta reached the consumer
	calls    int                                         // tool calls yielded
	pending  *streamedCall                               // a call whose arguments are still streaming
	lastUse  *genai.GenerateContentResponseUsageMetadata // the latest token counts
	finish   genai.FinishReason
	message  string // the finish message, for errors
	blocked  genai.BlockedReason
	draft    *llm.Delta // the delta being built from one response
	draftMax int        // rank of the latest kind of content in draft
}

// run consumes stream and yields its deltas, ending with the one that
// carries the finish reason.
func (t *turn) run(ctx context.Context, stream iter.Seq2[*genai.GenerateContentResponse, error]) error {
	for resp, err := range stream {
		if err != nil {
			return err
		}
		if err := t.response(resp); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.pending != nil {
		// The stream ended inside a call (seen when the terminal empty
		// functionCall chunk is missing): what arrived is all there is.
		if err := t.endCall(); err != nil {
			return err
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	if t.finish == genai.FinishReasonMalformedFunctionCall {
		return fmt.Errorf("%w: %s", ErrMalformedFunctionCall, t.message)
	}
	use := t.usage()
	return t.emit(&llm.Delta{Usage: &use, Finish: t.finishReason()})
}

// response digests one streamed response: the first candidate's parts, its
// finish reason, the prompt feedback and the usage. Grounding, safety
// ratings and other metadata are ignored.
func (t *turn) response(resp *genai.GenerateContentResponse) error {
	if u := resp.UsageMetadata; u != nil && (u.PromptTokenCount > 0 || u.TotalTokenCount > 0) {
		t.lastUse = u
	}
	if pf := resp.PromptFeedback; pf != nil && pf.BlockReason != "" {
		t.blocked = pf.BlockReason
	}
	if len(resp.Candidates) == 0 {
		return nil
	}
	c := resp.Candidates[0]
	if c.FinishReason != "" {
		t.finish = c.FinishReason
		t.message = c.FinishMessage
	}
	if c.Content != nil {
		for _, p := range c.Content.Parts {
			if err := t.part(p); err != nil {
				return err
			}
		}
	}
	return t.flush()
}

// The kinds of content in a delta, in the order a consumer renders them. A
// part of a lower kind than the draft's latest starts a new delta, so the
// stream keeps the model's order.
const (
	kindReasoning = iota + 1
	kindText
	kindCalls
)

// part adds one part to the draft delta.
func (t *turn) part(p *genai.Part) error {
	switch {
	case p.FunctionCall != nil:
		return t.functionCall(p)
	case p.Thought:
		// Thought summaries are reasoning, never content. Some models send
		// them even when they were not asked for.
		if t.includeThoughts && p.Text != "" {
			return t.add(kindReasoning, func(d *llm.Delta) { d.Reasoning += p.Text })
		}
	case p.ExecutableCode != nil:
		code := fmt.Sprintf("\n```%s\n%s\n```\n", strings.ToLower(string(p.ExecutableCode.Language)), p.ExecutableCode.Code)
		return t.add(kindText, func(d *llm.Delta) { d.Text += code })
	case p.CodeExecutionResult != nil:
		out := fmt.Sprintf("\n```\n%s\n```\n", strings.TrimRight(p.CodeExecutionResult.Output, "\n"))
		return t.add(kindText, func(d *llm.Delta) { d.Text += out })
	case p.Text != "":
		// A signature on a text part is dropped: an OpenAI message has no
		// place to carry it back, and Gemini validates only the signatures
		// of function calls.
		return t.add(kindText, func(d *llm.Delta) { d.Text += p.Text })
	}
	// Empty text parts (carrying a trailing signature) and anything else
	// yield nothing.
	return nil
}

// add applies set to the draft delta, first flushing the draft if it holds
// content of a later kind.
func (t *turn) add(kind int, set func(*llm.Delta)) error {
	if t.draft != nil && kind < t.draftMax {
		if err := t.flush(); err != nil {
			return err
		}
	}
	if t.draft == nil {
		t.draft = &llm.Delta{}
	}
	set(t.draft)
	t.draftMax = kind
	return nil
}

// flush yields the draft delta, if any.
func (t *turn) flush() error {
	d := t.draft
	t.draft, t.draftMax = nil, 0
	if d == nil {
		return nil
	}
	return t.emit(d)
}

// emit yields d, and errStopped if the consumer wants no more.
func (t *turn) emit(d *llm.Delta) error {
	t.yielded = true
	if !t.yield(d, nil) {
		return errStopped
	}
	return nil
}

// functionCall handles a functionCall part: a complete call, or a piece of
// one streamed with partialArgs (the call's name and willContinue first,
// then argument pieces, then an empty functionCall).
func (t *turn) functionCall(p *genai.Part) error {
	fc := p.FunctionCall
	if fc.Name != "" {
		if t.pending != nil {
			// A new call starts: the previous one is as complete as it will
			// get.
			if err := t.endCall(); err != nil {
				return err
			}
		}
		t.pending = newStreamedCall(fc, p.ThoughtSignature)
	} else if t.pending == nil {
		// The terminal empty functionCall of a call already ended.
		return nil
	} else if len(t.pending.signature) == 0 {
		t.pending.signature = p.ThoughtSignature
	}
	if err := t.pending.apply(fc.PartialArgs); err != nil {
		return err
	}
	if fc.WillContinue != nil && *fc.WillContinue {
		return nil
	}
	return t.endCall()
}

// endCall adds the pending call, now complete, to the draft delta.
func (t *turn) endCall() error {
	c := t.pending
	t.pending = nil
	args, err := json.Marshal(c.args)
	if err != nil {
		return fmt.Errorf("encoding arguments of %s: %w", c.name, err)
	}
	id := c.id
	if id == "" {
		id = t.newCallID()
	}
	call := llm.ToolCall{
		ID:         id,
		Name:       c.name,
		Arguments:  args,
		Signature:  c.signature,
		ProviderID: c.id,
	}
	t.calls++
	return t.add(kindCalls, func(d *llm.Delta) { d.ToolCalls = append(d.ToolCalls, call) })
}

// usage is the turn's token count, with the retried attempts'.
func (t *turn) usage() llm.Usage {
	u := t.spent
	if m := t.lastUse; m != nil {
		u.Add(llm.Usage{
			PromptTokens:     int(m.PromptTokenCount),
			CompletionTokens: int(m.CandidatesTokenCount + m.ThoughtsTokenCount),
			ReasoningTokens:  int(m.ThoughtsTokenCount),
			CachedTokens:     int(m.CachedContentTokenCount),
		})
	}
	return u
}

// finishReason computes the OpenAI finish reason. Gemini says STOP after
// function calls; OpenAI clients run the calls only on "tool_calls".
func (t *turn) finishReason() llm.FinishReason {
	switch {
	case t.calls > 0:
		return llm.FinishToolCalls
	case t.blocked != "":
		return llm.FinishContentFilter
	}
	switch t.finish {
	case genai.FinishReasonMaxTokens:
		return llm.FinishLength
	case genai.FinishReasonSafety, genai.FinishReasonRecitation, genai.FinishReasonBlocklist,
		genai.FinishReasonProhibitedContent, genai.FinishReasonSPII, "MODEL_ARMOR",
		genai.FinishReasonImageSafety, genai.FinishReasonImageProhibitedContent,
		genai.FinishReasonImageRecitation:
		return llm.FinishContentFilter
	}
	return llm.FinishStop
}
