package conform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// checkIDs sends requests with ids of both kinds and checks the echo.
func checkIDs(ctx context.Context, p *probe) {
	for _, id := range []string{`"conform-id-ü-1"`, `9007199254740991`, `0`} {
		m, err := p.main.callID(ctx, json.RawMessage(id), "ping", nil)
		if err != nil {
			_, answers, _, _ := p.main.snapshot()
			var ev any = err
			for _, a := range answers {
				ev = a
			}
			p.fail(ev, "ping with id %s: %v", id, err)
			continue
		}
		if idKey(m.ID) != idKey(json.RawMessage(id)) {
			p.fail(m, "ping with id %s was answered with id %s", id, m.ID)
		}
	}
	_, answers, _, _ := p.main.snapshot()
	for _, a := range answers {
		if string(a.ID) == "null" {
			p.fail(a, "an answer with a null id")
		}
	}
}

// checkParseError sends a broken frame on its own connection, since a
// server may rightly close a stream whose framing it can no longer trust.
func checkParseError(ctx context.Context, p *probe) {
	s, _, m, err := p.handshake(ctx, p.report.Revision)
	if s != nil {
		defer s.close()
	}
	if err != nil {
		p.fail(evOr(m, err), "handshake: %v", err)
		return
	}
	if err := s.sendRaw(ctx, []byte(`{"jsonrpc": "2.0", "id": 1, "method": "ping"]`)); refusedHTTP(err) {
		return
	} else if err != nil {
		p.fail(err, "sending malformed JSON: %v", err)
		return
	}
	var got *message
	err = s.wait(ctx, s.timeout, func() bool {
		for _, a := range s.answers {
			if a.Error != nil && a.Error.Code == codeParseError {
				got = a
				return true
			}
		}
		return false
	})
	switch {
	case errors.Is(err, errClosed):
		// On stdio, "The client MUST NOT write anything to the server's
		// stdin that is not a valid MCP message": a server may stop
		// reading a stream whose framing it can no longer trust.
		p.note(err, "the server closed the connection on malformed JSON")
		return
	case err != nil:
		p.fail(err, "malformed JSON got no -32700 error: %v", err)
		return
	}
	if string(got.ID) != "null" {
		p.fail(got, "the parse error must have a null id")
	}
	// No rule asks the server to keep a stream whose framing broke.
	if pm, err := s.call(ctx, "ping", nil); err != nil {
		p.note(evOr(pm, err), "the connection did not survive malformed JSON: %v", err)
	}
}

// expectError checks that a request was answered, which JSON-RPC makes
// a MUST, with an error of the code, which it does not: a result or
// another code is a SHOULD finding. Over HTTP, an HTTP error status is
// also a refusal: the transport lets a server refuse input it cannot
// accept that way.
func (p *probe) expectError(m *message, err error, code int, what string) {
	switch {
	case refusedHTTP(err):
	case err != nil:
		p.fail(err, "%s: %v", what, err)
	case m.Error == nil:
		p.warn(m, "%s got a result, want error %d", what, code)
	case m.Error.Code != code:
		p.warn(m, "%s got error %d, want %d", what, m.Error.Code, code)
	}
}

func checkMethodNotFound(ctx context.Context, p *probe) {
	m, err := p.main.call(ctx, "conform/no-such-method", map[string]any{})
	p.expectError(m, err, codeMethodNotFound, "an unknown method")
}

// checkInvalidParams sends params of the wrong type to a method the
// server advertises.
func checkInvalidParams(ctx context.Context, p *probe) {
	switch {
	case p.init.has("tools"):
		m, err := p.main.call(ctx, "tools/call", map[string]any{"name": 42, "arguments": "none"})
		p.expectError(m, err, codeInvalidParams, "tools/call with a numeric name")
	case p.init.has("prompts"):
		m, err := p.main.call(ctx, "prompts/get", map[string]any{"name": 42})
		p.expectError(m, err, codeInvalidParams, "prompts/get with a numeric name")
	case p.init.has("resources"):
		m, err := p.main.call(ctx, "resources/read", map[string]any{"uri": 42})
		p.expectError(m, err, codeInvalidParams, "resources/read with a numeric uri")
	default:
		p.skip("the server advertises no tools, prompts or resources")
	}
}

// batchFrame is a batch of two pings with the ids "b1" and "b2".
var batchFrame = []byte(`[{"jsonrpc":"2.0","id":"b1","method":"ping"},{"jsonrpc":"2.0","id":"b2","method":"ping"}]`)

// checkBatch sends a batch where the revision has them: a MUST from
// 2025-03-26, which added batches to the schema; before, only JSON-RPC's
// lowercase "should".
func checkBatch(ctx context.Context, p *probe) {
	fail := p.fail
	if p.report.Revision < rev20250326 {
		fail = p.warn
	}
	if err := p.main.sendRaw(ctx, batchFrame); err != nil {
		fail(err, "sending a batch: %v", err)
		return
	}
	for _, id := range []string{`"b1"`, `"b2"`} {
		if m, err := p.main.await(ctx, json.RawMessage(id)); err != nil {
			fail(err, "the ping %s of a batch: %v", id, err)
		} else if m.Error != nil {
			fail(m, "the ping %s of a batch got an error", id)
		}
	}
	if _, _, _, batches := p.main.snapshot(); len(batches) == 0 {
		fail(nil, "a batch must be answered with a batch (an array)")
	}
}

// checkBatchRefused sends a batch where the revision removed them, on its
// own connection since the server may close it.
func checkBatchRefused(ctx context.Context, p *probe) {
	s, _, m, err := p.handshake(ctx, p.report.Revision)
	if s != nil {
		defer s.close()
	}
	if err != nil {
		p.fail(evOr(m, err), "handshake: %v", err)
		return
	}
	if err := s.sendRaw(ctx, batchFrame); refusedHTTP(err) {
		return
	} else if err != nil {
		p.fail(err, "sending a batch: %v", err)
		return
	}
	err = s.wait(ctx, s.timeout, func() bool {
		for _, a := range s.answers {
			if a.Error != nil {
				return true
			}
		}
		return len(s.batches) > 0
	})
	if err != nil {
		p.fail(err, "a batch got no error: %v", err)
	}
}

// checkNotification sends a notification, then a ping: by the time the
// ping is answered, an answer to the notification would have come.
func checkNotification(ctx context.Context, p *probe) {
	before := p.answerCount()
	if err := p.main.notify(ctx, "notifications/conform-unknown", map[string]any{}); err != nil && !refusedHTTP(err) {
		p.fail(err, "sending a notification: %v", err)
		return
	}
	if _, err := p.main.call(ctx, "ping", nil); err != nil {
		p.fail(err, "ping after a notification: %v", err)
		return
	}
	_, answers, _, _ := p.main.snapshot()
	if len(answers) > before {
		for _, a := range answers {
			p.fail(a, "an answer that matches no request (to the notification?)")
			return
		}
	}
}

func (r *run) answerCount() int {
	_, answers, _, _ := r.main.snapshot()
	return len(answers)
}

// checkConcurrent sends pings and lists at once.
func checkConcurrent(ctx context.Context, p *probe) {
	p.concurrently(ctx, 16, func(i int) (string, any) {
		if i%2 == 1 && p.init.has("tools") {
			return "tools/list", nil
		}
		return "ping", nil
	})
}

// concurrently sends n requests at once and checks each is answered.
func (p *probe) concurrently(ctx context.Context, n int, req func(i int) (string, any)) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := time.Now()
	for i := range n {
		wg.Go(func() {
			method, params := req(i)
			id := json.RawMessage(fmt.Sprintf(`"concurrent-%d"`, i))
			m, err := p.main.callID(ctx, id, method, params)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				p.fail(err, "concurrent %s %d of %d: %v", method, i+1, n, err)
			case m.Error != nil:
				p.fail(m, "concurrent %s %d of %d got an error", method, i+1, n)
			}
		})
	}
	wg.Wait()
	p.opts.Logger.Debug("concurrent requests", "n", n, "duration", time.Since(start))
}

// refusedHTTP reports whether err is an HTTP 4xx answer.
func refusedHTTP(err error) bool {
	var se *statusError
	return errors.As(err, &se) && se.code >= 400 && se.code < 500
}
