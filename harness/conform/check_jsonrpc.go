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
// server may rightly close a stream whose framing it can no longer trust,
// then a ping. The ping's answer proves the connection survived; whether
// -32700 came is known for sure only once the connection is closed, as
// answers may come in any order. The end of the run closes the
// connection, not this check, lest the server drop the error it was
// still writing.
func checkParseError(ctx context.Context, p *probe) {
	s, _, m, err := p.handshake(ctx, p.rev)
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
	pm, perr := s.call(ctx, "ping", nil)
	// The server may close its end instead: the ping then finds the pipe
	// or the connection gone.
	gone := connectionGone(perr)
	parseError := func(a *message) bool { return a.Error != nil && a.Error.Code == codeParseError }
	judge := func(p *probe) {
		got := s.findAnswer(parseError)
		switch {
		case got == nil && gone:
			// On stdio, "The client MUST NOT write anything to the
			// server's stdin that is not a valid MCP message": a server
			// may stop reading a stream whose framing it can no longer
			// trust.
			p.note(errClosed, "the server closed the connection on malformed JSON")
		case got == nil:
			p.fail(nil, "malformed JSON got no -32700 error")
		case string(got.ID) != "null":
			p.fail(got, "the parse error must have a null id")
		}
	}
	if perr != nil && got(s, parseError) {
		// No rule asks the server to keep a stream whose framing broke.
		p.note(evOr(pm, perr), "the connection did not survive malformed JSON: %v", perr)
	}
	if gone || got(s, parseError) {
		judge(p)
		return
	}
	p.settle(judge)
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

// got reports whether s received an answer that ok accepts.
func got(s *session, ok func(*message) bool) bool { return s.findAnswer(ok) != nil }

// checkBatch sends a batch where the revision has them, then a ping; an
// answer not in by the ping's is judged at the end of the run, since
// answers may come in any order. It is a MUST from 2025-03-26, which added
// batches to the schema; before, only JSON-RPC's lowercase "should".
func checkBatch(ctx context.Context, p *probe) {
	if err := p.main.sendRaw(ctx, batchFrame); err != nil {
		p.fail(err, "sending a batch: %v", err)
		return
	}
	if _, err := p.main.call(ctx, "ping", nil); err != nil {
		p.fail(err, "ping after a batch: %v", err)
	}
	s := p.main
	judge := func(p *probe) {
		fail := p.fail
		if p.rev < rev20250326 {
			fail = p.warn
		}
		for _, id := range []string{`"b1"`, `"b2"`} {
			if m := s.answer(idKey(json.RawMessage(id))); m == nil {
				fail(nil, "the ping %s of a batch got no answer", id)
			} else if m.Error != nil {
				fail(m, "the ping %s of a batch got an error", id)
			}
		}
		// Over streamable HTTP, "These responses MAY be batched"
		// (2025-03-26, transports): only stdio owes a batch.
		if _, _, _, batches := s.snapshot(); len(batches) == 0 && p.stdio() {
			fail(nil, "a batch must be answered with a batch (an array)")
		}
	}
	if s.answer(`"b1"`) != nil && s.answer(`"b2"`) != nil {
		judge(p)
		return
	}
	p.settle(judge)
}

// checkBatchRefused sends a batch where the revision removed them, on its
// own connection since the server may close it, then a ping; an answer
// not in by the ping's is looked for at the end of the run, which closes
// the connection: closed at once, a server may drop the answers it was
// still writing, and a batch it accepted would look ignored.
func checkBatchRefused(ctx context.Context, p *probe) {
	s, _, m, err := p.handshake(ctx, p.rev)
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
	// Refused: an error for the batch as a whole (id null) or for its
	// requests. Accepted: its requests answered with results.
	refused := func() bool { return got(s, func(a *message) bool { return a.Error != nil }) }
	accepted := func() bool {
		a := s.answer(idKey(json.RawMessage(`"b1"`)))
		return a != nil && a.Error == nil
	}
	// The ping may go unanswered: the server may close the connection, or
	// stop reading it, which refuses the batch as plainly as an error does.
	_, perr := s.call(ctx, "ping", nil)
	closed := func() bool {
		return connectionGone(perr) || errors.Is(perr, errTimeout) || s.exited()
	}
	judge := func(p *probe) {
		switch {
		case refused() || closed():
		case accepted():
			p.fail(nil, "a batch was answered with results, not refused")
		default:
			p.fail(nil, "a batch got no error")
		}
	}
	if refused() || closed() || accepted() {
		judge(p)
		return
	}
	p.settle(judge)
}

// checkNotification sends a notification, then a ping. An answer to the
// notification would carry an id that no request of ours had. The ping's
// answer ends the wait: on a session that goes on, no moment proves that
// none will come, and a server answers in the order it reads far more
// often than not.
func checkNotification(ctx context.Context, p *probe) {
	before := len(p.main.strayAnswers())
	if err := p.main.notify(ctx, "notifications/conform-unknown", map[string]any{}); err != nil && !refusedHTTP(err) {
		p.fail(err, "sending a notification: %v", err)
		return
	}
	if _, err := p.main.call(ctx, "ping", nil); err != nil {
		p.fail(err, "ping after a notification: %v", err)
		return
	}
	if strays := p.main.strayAnswers(); len(strays) > before {
		p.fail(strays[before], "an answer that matches no request (to the notification?)")
	}
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
