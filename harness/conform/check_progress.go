package conform

import (
	"context"
	"encoding/json"
	"errors"
)

// progressParams are the members of notifications/progress the checks read.
type progressParams struct {
	Token    json.RawMessage `json:"progressToken"`
	Progress *float64        `json:"progress"`
}

// requestMeta are the members of a request's params that say what the
// answer's progress may look like.
type requestMeta struct {
	Meta struct {
		ProgressToken json.RawMessage `json:"progressToken"`
	} `json:"_meta"`
	Task json.RawMessage `json:"task"`
}

// A token is a progress token the checker sent, and the fate of its
// request.
type token struct {
	id       string // the request's id key
	answered bool   // the request was answered, and was no task
	task     bool   // task-augmented: progress outlives the answer
}

// checkProgressTokens judges every progress notification of the run
// against the requests the checker sent in the same session. Progress,
// behavior requirements: "Progress notifications MUST only reference
// tokens that: Were provided in an active request; Are associated with
// an in-progress operation", and "Progress notifications MUST stop after
// completion." Over HTTP, messages of different streams have no order,
// so a notification after the answer is judged over stdio only.
func checkProgressTokens(ctx context.Context, p *probe) {
	n := 0
	for _, s := range p.allSessions() {
		tokens := map[string]*token{}
		byID := map[string]*token{}
		for _, e := range s.messages() {
			m := e.m
			switch {
			case e.out && m.isRequest():
				var rm requestMeta
				json.Unmarshal(m.Params, &rm)
				if len(rm.Meta.ProgressToken) > 0 {
					t := &token{id: idKey(m.ID), task: len(rm.Task) > 0 && string(rm.Task) != "null"}
					tokens[idKey(rm.Meta.ProgressToken)] = t
					byID[t.id] = t
				}
			case !e.out && m.isResponse():
				if t := byID[idKey(m.ID)]; t != nil && !t.task {
					t.answered = true
				}
			case !e.out && m.Method == "notifications/progress":
				n++
				var pp progressParams
				json.Unmarshal(m.Params, &pp)
				t := tokens[idKey(pp.Token)]
				switch {
				case t == nil:
					p.fail(m, "progress for the token %s, which no request of this session carried", pp.Token)
				case t.answered && p.stdio():
					p.fail(m, "progress for the token %s after the request was answered", pp.Token)
				}
			}
			if len(p.res.Findings) >= maxFindings {
				return
			}
		}
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("the server sent no progress")
	}
}

// startCall sends a tools/call without waiting for its answer and gives
// the call startWait to answer: ok is false when it did, since a call
// that short cannot be cancelled.
func (p *probe) startCall(ctx context.Context, id json.RawMessage, t *tool, args map[string]any, meta map[string]any) (ok bool, err error) {
	params := map[string]any{"name": t.Name, "arguments": args, "_meta": meta}
	// Over HTTP, the answer's headers may wait for the result: do not
	// wait for them.
	sendCtx, cancel := context.WithTimeout(ctx, startWait)
	err = p.main.sendRaw(sendCtx, p.main.request(id, "tools/call", params))
	cancel()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return false, err
	}
	if _, err := p.main.awaitFor(ctx, id, startWait); err == nil {
		return false, nil
	}
	return true, nil
}

// countProgress counts the progress notifications of a transcript that
// carry the token.
func countProgress(log []entry, tok json.RawMessage) int {
	n := 0
	for _, e := range log {
		if e.out || e.m.Method != "notifications/progress" {
			continue
		}
		var pp progressParams
		if json.Unmarshal(e.m.Params, &pp) == nil && idKey(pp.Token) == idKey(tok) {
			n++
		}
	}
	return n
}

// checkCancelProgress starts a long call of each allowed tool with a
// progress token, waits for its first progress, cancels it and watches
// the token. Cancellation: the receiver "SHOULD: Stop processing the
// cancelled request"; progress: "Progress notifications MUST stop after
// completion". One notification may already be on its way when the
// cancellation arrives; progress that goes on after a ping and a grace
// period shows that the work goes on.
func checkCancelProgress(ctx context.Context, p *probe) {
	tested := 0
	for _, t := range p.allowedTools(ctx) {
		args, err := validArgs(t.InputSchema, true)
		if err != nil {
			continue
		}
		id := p.main.newID()
		tok, _ := json.Marshal("conform-cancel-" + t.Name)
		running, err := p.startCall(ctx, id, t, args, map[string]any{"progressToken": json.RawMessage(tok)})
		if err != nil {
			p.fail(err, "%s: %v", t.Name, err)
			continue
		}
		if !running {
			continue
		}
		// Only a tool that reports progress shows whether it stops.
		reported := p.main.wait(ctx, startWait, func() bool { return countProgress(p.main.transcript, tok) > 0 }) == nil
		err = p.main.notify(ctx, "notifications/cancelled", map[string]any{"requestId": id, "reason": "conformance check"})
		if !reported {
			continue
		}
		tested++
		if err != nil {
			p.fail(err, "%s: sending notifications/cancelled: %v", t.Name, err)
			continue
		}
		if _, err := p.main.call(ctx, "ping", nil); err != nil {
			p.fail(err, "ping after a cancellation: %v", err)
			continue
		}
		before := countProgress(p.main.messages(), tok)
		p.main.awaitFor(ctx, id, lateGrace) // a late answer is tools-cancel's finding
		if _, err := p.main.call(ctx, "ping", nil); err != nil {
			p.fail(err, "ping after a cancellation: %v", err)
			continue
		}
		if after := countProgress(p.main.messages(), tok); after-before > 1 {
			p.fail(nil, "%s: %d progress notifications for %s came after notifications/cancelled and the ping that followed it", t.Name, after-before, tok)
		}
	}
	if tested == 0 && p.res.Status == Pass {
		p.skip("no allowed tool ran long enough, with progress, to be cancelled")
	}
}
