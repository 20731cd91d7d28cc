package conform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// errTimeout is returned when the server does not answer within the
// exchange deadline.
var errTimeout = errors.New("no answer within the deadline")

// errClosed is returned when the server's output ends before the answer.
var errClosed = errors.New("the server closed the connection")

// A session is one raw connection to the server: it numbers requests,
// matches answers to them, answers the server's own requests and keeps
// everything else it receives for the checks to inspect. It is safe for
// concurrent use.
type session struct {
	link    link
	timeout time.Duration
	// version is the negotiated revision; from 2026-07-28 on, every
	// request carries the client's identity in _meta.
	version string

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every arrival
	nextID  int64
	sent    map[string]bool     // the id keys of the requests sent
	answers map[string]*message // by id key, until taken
	notes   []*message          // notifications, in order of arrival
	strays  []*message          // answers with an id that no request of ours had
	batches [][]*message        // frames that were batches
	noise   [][]byte            // frames that were not JSON-RPC
	arrived int                 // messages received so far
	// transcript is every message both ways, in order, for the checks
	// that judge a whole run; client is what the session declared in
	// initialize (nil: nothing), which answers the server's requests.
	transcript []entry
	client     *clientCaps
	closed     bool // the server's output ended
	closing    bool // we closed the session

	once   sync.Once
	ended  chan struct{} // closed when the output has ended and been read
	closeD chan struct{} // closed when close has finished
}

func newSession(l link, timeout time.Duration) *session {
	s := &session{link: l, timeout: timeout, changed: make(chan struct{}), sent: map[string]bool{}, answers: map[string]*message{},
		ended: make(chan struct{}), closeD: make(chan struct{})}
	go s.read()
	return s
}

// read keeps every frame until the server's output ends, even after
// close: a check may judge what came late.
func (s *session) read() {
	defer close(s.ended)
	for data := range s.link.frames() {
		s.receive(data)
	}
	s.update(func() { s.closed = true })
}

func (s *session) receive(data []byte) {
	msgs, batch, ok := parseFrame(data)
	if !ok {
		s.update(func() { s.noise = append(s.noise, data) })
		return
	}
	s.update(func() {
		if batch {
			s.batches = append(s.batches, msgs)
		}
		for _, m := range msgs {
			s.arrived++
			m.arrival = s.arrived
			s.record(entry{m: m})
			switch {
			case m.isResponse():
				key := idKey(m.ID)
				s.answers[key] = m
				if !s.sent[key] && key != "null" {
					s.strays = append(s.strays, m)
				}
			case m.Method != "" && m.hasID():
				go s.answerServer(m)
			case m.Method != "":
				s.notes = append(s.notes, m)
			default:
				s.noise = append(s.noise, m.raw)
			}
		}
	})
}

// answerServer answers a request from the server: ping succeeds, the
// requests of a capability the session declared get a canned answer,
// anything else is a method this client does not offer.
func (s *session) answerServer(m *message) {
	reply := map[string]any{"jsonrpc": "2.0", "id": m.ID}
	s.mu.Lock()
	c := s.client
	s.mu.Unlock()
	if m.Method == "ping" {
		reply["result"] = struct{}{}
	} else if res, ok := c.answer(m); ok {
		reply["result"] = res
	} else {
		reply["error"] = rpcError{Code: codeMethodNotFound, Message: "not offered by the checker"}
	}
	data, _ := json.Marshal(reply)
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	s.send(ctx, data)
}

// update changes the state under the lock and wakes every waiter.
func (s *session) update(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait blocks until cond, called under the lock, holds, or the deadline
// d passes (errTimeout), or the server's output ends (errClosed), or ctx
// ends (its error).
func (s *session) wait(ctx context.Context, d time.Duration, cond func() bool) error {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		s.mu.Lock()
		ok, closed, changed := cond(), s.closed, s.changed
		s.mu.Unlock()
		switch {
		case ok:
			return nil
		case closed:
			return errClosed
		}
		select {
		case <-changed:
		case <-t.C:
			return errTimeout
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// newID returns a fresh numeric request id.
func (s *session) newID() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return json.RawMessage(strconv.FormatInt(s.nextID, 10))
}

// request encodes a request with the given id; params may be nil.
func (s *session) request(id json.RawMessage, method string, params any) []byte {
	m := map[string]any{"jsonrpc": "2.0", "method": method}
	if id != nil {
		m["id"] = id
	}
	if p := s.withMeta(params); p != nil {
		m["params"] = p
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("conform: encoding %s params: %v", method, err)) // params are built by the checks
	}
	return data
}

// withMeta adds the per-request _meta that stateless revisions require.
func (s *session) withMeta(params any) any {
	if s.version < revStateless {
		return params
	}
	p := map[string]any{}
	if params != nil {
		data, _ := json.Marshal(params)
		json.Unmarshal(data, &p)
	}
	meta, _ := p["_meta"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	for k, v := range statelessMeta(s.version) {
		if _, ok := meta[k]; !ok {
			meta[k] = v
		}
	}
	p["_meta"] = meta
	return p
}

// call sends a request and waits for its answer. A JSON-RPC error answer
// is returned as the message, not as an error: the checks judge it.
func (s *session) call(ctx context.Context, method string, params any) (*message, error) {
	return s.callID(ctx, s.newID(), method, params)
}

// callID is call with a chosen id. A request whose params carry a
// _meta.progressToken is awaited with awaitProgress, up to
// maxCallTimeouts exchange timeouts.
func (s *session) callID(ctx context.Context, id json.RawMessage, method string, params any) (*message, error) {
	if err := s.send(ctx, s.request(id, method, params)); err != nil {
		return nil, fmt.Errorf("sending %s: %w", method, err)
	}
	if token := progressTokenIn(params); token != nil {
		return s.awaitProgress(ctx, id, token, maxCallTimeouts*s.timeout)
	}
	return s.await(ctx, id)
}

// maxCallTimeouts bounds a request that keeps receiving progress, in
// exchange timeouts: progress resets the deadline, up to this many.
const maxCallTimeouts = 10

// progressTokenIn returns the progress token of request params built by
// the checks, or nil.
func progressTokenIn(params any) json.RawMessage {
	p, _ := params.(map[string]any)
	meta, _ := p["_meta"].(map[string]any)
	token, ok := meta["progressToken"]
	if !ok {
		return nil
	}
	data, err := json.Marshal(token)
	if err != nil {
		return nil
	}
	return data
}

// await waits for the answer to the request with this id and takes it.
func (s *session) await(ctx context.Context, id json.RawMessage) (*message, error) {
	key := idKey(id)
	var m *message
	err := s.wait(ctx, s.timeout, func() bool {
		m = s.answers[key]
		return m != nil
	})
	if c, ok := s.link.(cutter); ok && errors.Is(err, errTimeout) {
		if why := c.cut(key); why != "" {
			err = fmt.Errorf("%w: %s", err, why)
		}
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	delete(s.answers, key)
	s.mu.Unlock()
	return m, nil
}

// awaitProgress is await whose deadline starts again on every progress
// notification for token, as the lifecycle allows ("Implementations MAY
// choose to reset the timeout clock when receiving a progress
// notification corresponding to the request"), but never past limit in
// all ("implementations SHOULD always enforce a maximum timeout").
func (s *session) awaitProgress(parent context.Context, id, token json.RawMessage, limit time.Duration) (*message, error) {
	ctx, cancel := context.WithTimeout(parent, limit)
	defer cancel()
	key, tok := idKey(id), idKey(token)
	s.mu.Lock()
	from := len(s.notes)
	s.mu.Unlock()
	for {
		var m *message
		progressed := false
		err := s.wait(ctx, s.timeout, func() bool {
			if m = s.answers[key]; m != nil {
				return true
			}
			for _, n := range s.notes[from:] {
				if t, ok := progressTokenOf(n); ok && idKey(t) == tok {
					progressed = true
				}
			}
			from = len(s.notes)
			return progressed
		})
		switch {
		case err != nil && parent.Err() == nil && ctx.Err() != nil:
			return nil, errTimeout // past the limit, progress or not
		case err != nil:
			return nil, err
		case m != nil:
			s.mu.Lock()
			delete(s.answers, key)
			s.mu.Unlock()
			return m, nil
		}
	}
}

// progressTokenOf returns the token of a progress notification.
func progressTokenOf(m *message) (json.RawMessage, bool) {
	if m.Method != "notifications/progress" {
		return nil, false
	}
	var p struct {
		Token json.RawMessage `json:"progressToken"`
	}
	if json.Unmarshal(m.Params, &p) != nil || len(p.Token) == 0 {
		return nil, false
	}
	return p.Token, true
}

// notify sends a notification.
func (s *session) notify(ctx context.Context, method string, params any) error {
	return s.send(ctx, s.request(nil, method, params))
}

// sendRaw sends bytes as they are.
func (s *session) sendRaw(ctx context.Context, data []byte) error { return s.send(ctx, data) }

// send records the frame's messages in the transcript, notes the ids of
// the requests it holds, then sends it.
func (s *session) send(ctx context.Context, data []byte) error {
	if msgs, _, ok := parseFrame(data); ok {
		s.mu.Lock()
		for _, m := range msgs {
			s.record(entry{out: true, m: m})
			if m.Method != "" && m.hasID() {
				s.sent[idKey(m.ID)] = true
			}
		}
		s.mu.Unlock()
	}
	return s.link.send(ctx, data)
}

// answer returns the answer to the request with this id key, if it came,
// without taking it.
func (s *session) answer(key string) *message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answers[key]
}

// findAnswer returns an answer that ok accepts, if one came.
func (s *session) findAnswer(ok func(*message) bool) *message {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.answers {
		if ok(a) {
			return a
		}
	}
	return nil
}

// strayAnswers returns the answers whose id no request of ours had.
func (s *session) strayAnswers() []*message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.strays)
}

// snapshot returns copies of what arrived outside of answers.
func (s *session) snapshot() (notes []*message, answers map[string]*message, noise [][]byte, batches [][]*message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	answers = make(map[string]*message, len(s.answers))
	for k, v := range s.answers {
		answers[k] = v
	}
	return append([]*message(nil), s.notes...), answers, append([][]byte(nil), s.noise...), append([][]*message(nil), s.batches...)
}

// close ends the session and its link without waiting: a process gets
// its grace period to exit while the checks go on. The session keeps
// what the server sends until then; closed tells when that is over.
func (s *session) close() {
	s.once.Do(func() {
		s.update(func() { s.closing = true })
		go func() {
			defer close(s.closeD)
			s.link.close()
			// The output ends soon after the link closes, unless a
			// process left behind still holds it.
			t := time.NewTimer(s.timeout)
			defer t.Stop()
			select {
			case <-s.ended:
			case <-t.C:
			}
		}()
	})
}

// done returns a channel closed once close has ended the session and
// its output is read.
func (s *session) done() <-chan struct{} { return s.closeD }

// exited reports whether the server ended the session: its output ended
// before the checker closed it.
func (s *session) exited() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed && !s.closing
}

// connectionGone reports whether err, from writing to or calling on a
// session, says that the server closed its end: the session ended, or the
// pipe or connection is gone.
func connectionGone(err error) bool {
	return errors.Is(err, errClosed) || errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) || errors.Is(err, io.ErrClosedPipe)
}

// result decodes a successful answer into v, or returns the JSON-RPC error.
func decode(m *message, v any) error {
	if m.Error != nil {
		return m.Error
	}
	if err := json.Unmarshal(m.Result, v); err != nil {
		return fmt.Errorf("decoding the result %s: %w", m, err)
	}
	return nil
}
