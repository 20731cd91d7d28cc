package conform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"
)

// toolSamples is how many times tools-call calls each allowed tool, for
// its latency.
const toolSamples = 3

// checkToolCalls calls every allowed tool with valid arguments and checks
// the shape of each result. Later checks judge the recorded calls.
func checkToolCalls(ctx context.Context, p *probe) {
	for _, t := range p.allowedTools(ctx) {
		args, err := validArgs(t.InputSchema, false)
		if err != nil {
			p.fail(string(t.InputSchema), "%s: generating arguments: %v", t.Name, err)
			continue
		}
		if rs, err := compileSchema(t.InputSchema); err == nil {
			if err := rs.Validate(args); err != nil {
				p.opts.Logger.Info("generated arguments do not validate", "tool", t.Name, "err", err)
			}
		}
		var durations []time.Duration
		for i := range toolSamples {
			token := fmt.Sprintf("conform-%s-%d", t.Name, i)
			start := time.Now()
			m, res, err := callTool(ctx, p.main, t.Name, args, map[string]any{"progressToken": token})
			d := time.Since(start)
			rec := &callRecord{tool: t, args: args, msg: m, err: err, duration: d, result: res}
			p.calls = append(p.calls, rec)
			if err != nil {
				p.fail(evOr(m, err), "%s %v: %v", t.Name, args, err)
				break
			}
			durations = append(durations, d)
			p.checkResult(t, m, res)
			if res.IsError {
				break // an error is the same every time; do not repeat it
			}
			if d > p.opts.Timeout {
				break // a call that outlived an exchange timeout is measured once
			}
		}
		if len(durations) > 0 {
			if p.report.Timing.Tools == nil {
				p.report.Timing.Tools = map[string]*Latency{}
			}
			p.report.Timing.Tools[t.Name] = latency(durations)
		}
	}
}

// checkResult checks the shape of a tool result.
func (p *probe) checkResult(t *tool, m *message, res *callResult) {
	var raw map[string]json.RawMessage
	json.Unmarshal(m.Result, &raw)
	if _, ok := raw["content"]; !ok {
		p.fail(m, "%s: the result has no content array", t.Name)
	}
	for _, c := range res.Content {
		if err := checkContent(c); err != nil {
			p.fail(m, "%s: %v", t.Name, err)
		}
	}
}

// hasOutputSchema reports whether the tool declares one.
func (t *tool) hasOutputSchema() bool {
	return len(t.OutputSchema) > 0 && string(t.OutputSchema) != "null"
}

// checkStructuredContent validates structured results of the recorded
// calls against their tool's outputSchema.
func checkStructuredContent(ctx context.Context, p *probe) {
	n := 0
	for _, c := range p.calls {
		if c.result == nil || c.result.IsError || !c.tool.hasOutputSchema() {
			continue
		}
		n++
		if err := structuredError(c.tool, c.result); err != nil {
			p.fail(c.msg, "%v", err)
		}
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("no successful call of a tool with an outputSchema (see --call-tools)")
	}
}

// checkStructuredText looks for a text item holding the structured result.
func checkStructuredText(ctx context.Context, p *probe) {
	n := 0
	judged := map[string]bool{} // one finding per tool is enough
	for _, c := range p.calls {
		if c.result == nil || len(c.result.StructuredContent) == 0 || string(c.result.StructuredContent) == "null" || judged[c.tool.Name] {
			continue
		}
		judged[c.tool.Name] = true
		n++
		var want any
		json.Unmarshal(c.result.StructuredContent, &want)
		found := false
		for _, raw := range c.result.Content {
			var item contentItem
			if json.Unmarshal(raw, &item) != nil || item.Type != "text" || item.Text == nil {
				continue
			}
			var got any
			if json.Unmarshal([]byte(*item.Text), &got) == nil && reflect.DeepEqual(got, want) {
				found = true
			}
		}
		if !found {
			p.fail(c.msg, "%s: no text content holds the structuredContent as JSON", c.tool.Name)
		}
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("no call returned structuredContent")
	}
}

// checkConcurrentCalls calls the allowed tools eight at a time.
func checkConcurrentCalls(ctx context.Context, p *probe) {
	var ok []*callRecord
	for _, c := range p.calls {
		if c.err == nil && c.result != nil && !c.result.IsError {
			ok = append(ok, c)
		}
	}
	if len(ok) == 0 {
		p.skip("no tool call succeeded (see --call-tools)")
		return
	}
	p.concurrently(ctx, 8, func(i int) (string, any) {
		c := ok[i%len(ok)]
		meta := map[string]any{"progressToken": fmt.Sprintf("conform-concurrent-%d", i)}
		return "tools/call", map[string]any{"name": c.tool.Name, "arguments": c.args, "_meta": meta}
	})
}

// checkProgress judges the progress notifications that the recorded
// calls received: each for a token we sent, and increasing.
func checkProgress(ctx context.Context, p *probe) {
	notes, _, _, _ := p.main.snapshot()
	last := map[string]float64{}
	n := 0
	for _, m := range notes {
		if m.Method != "notifications/progress" {
			continue
		}
		n++
		var params struct {
			Token    json.RawMessage `json:"progressToken"`
			Progress *float64        `json:"progress"`
		}
		if err := json.Unmarshal(m.Params, &params); err != nil || params.Progress == nil {
			p.fail(m, "a progress notification without progressToken and progress")
			continue
		}
		key := string(params.Token)
		if prev, ok := last[key]; ok && *params.Progress <= prev {
			p.fail(m, "progress went from %v to %v", prev, *params.Progress)
		}
		last[key] = *params.Progress
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("no tool sent progress")
	}
}

// lateGrace is how long checkCancel waits, after the ping that follows
// the cancellation, for a result that must not come.
const lateGrace = 200 * time.Millisecond

// startWait is how long a call runs before checkCancel cancels it.
const startWait = 50 * time.Millisecond

// checkCancel starts a long call of each allowed tool, cancels it, and
// pings: the server should send no response for the cancelled call. A
// call that ends before the cancellation is sent proves nothing, and a
// result that crossed the notification is allowed ("Processing may have
// completed before cancellation arrives"); what the receiver should not
// do is answer a call after it read the cancellation: with an error, a
// JSON-RPC one or isError (it stopped, then answered), or with a result
// after answering the ping that followed the cancellation.
func checkCancel(ctx context.Context, p *probe) {
	tested := 0
	for _, t := range p.allowedTools(ctx) {
		args, err := validArgs(t.InputSchema, true)
		if err != nil {
			continue
		}
		id := p.main.newID()
		// Over HTTP, the answer's headers may wait for the result: do
		// not wait for them.
		sendCtx, cancel := context.WithTimeout(ctx, startWait)
		err = p.main.sendRaw(sendCtx, p.main.request(id, "tools/call", map[string]any{"name": t.Name, "arguments": args}))
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			p.fail(err, "%s: %v", t.Name, err)
			continue
		}
		// Give the call a moment to start; if it finishes, it is too short.
		if _, err := p.main.awaitFor(ctx, id, startWait); err == nil {
			continue
		}
		tested++
		if err := p.main.notify(ctx, "notifications/cancelled", map[string]any{"requestId": id, "reason": "conformance check"}); err != nil {
			p.fail(err, "%s: sending notifications/cancelled: %v", t.Name, err)
			continue
		}
		pong, err := p.main.call(ctx, "ping", nil)
		if err != nil {
			p.fail(err, "ping after a cancellation: %v", err)
			continue
		}
		// A server that ignores the cancellation answers when the call ends.
		m, err := p.main.awaitFor(ctx, id, lateGrace)
		var res callResult
		switch {
		case err != nil:
			// No response: the server stopped, as it should.
		case decode(m, &res) != nil || res.IsError:
			p.fail(m, "%s: the cancelled call was answered with an error: the server read notifications/cancelled, then responded", t.Name)
		case m.arrival < pong.arrival:
			p.note(m, "%s: the result crossed notifications/cancelled (the call had ended): allowed", t.Name)
		default:
			p.fail(m, "%s: a result came after notifications/cancelled and after the answer to a later ping", t.Name)
		}
	}
	if tested == 0 && p.res.Status == Pass {
		p.skip("no allowed tool ran long enough to be cancelled")
	}
}

// awaitFor is await with a shorter deadline.
func (s *session) awaitFor(ctx context.Context, id json.RawMessage, d time.Duration) (*message, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return s.await(ctx, id)
}

// latency summarizes durations.
func latency(ds []time.Duration) *Latency {
	sorted := append([]time.Duration(nil), ds...)
	slices.Sort(sorted)
	at := func(q float64) time.Duration { return sorted[int(q*float64(len(sorted)-1)+0.5)] }
	return &Latency{N: len(sorted), P50: at(0.5), P99: at(0.99)}
}
