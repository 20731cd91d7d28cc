package mcpservers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// moreDefects are the defects of message shapes, negotiation, progress,
// advertised capabilities and the client's capabilities.
func moreDefects() []Defect {
	return []Defect{
		{Name: "unaccepted-version", Check: "lifecycle-version-accepted", Doc: "answers an unknown revision with 2025-03-26, which it refuses when asked for it", wrap: unacceptedVersion},
		{Name: "error-null", Check: "jsonrpc-message-shape", Doc: `answers ping with a result and "error": null`, rawOut: errorNull},
		{Name: "notification-id", Check: "jsonrpc-message-shape", Doc: "sends its notifications with an id", wrap: notificationIDs},
		{Name: "early-request", Check: "lifecycle-early-requests", Doc: "asks for roots before notifications/initialized", ClientCaps: []string{"roots"}, wrap: earlyRequest},
		{Name: "undeclared-sampling", Check: "lifecycle-client-capabilities", Doc: "summarize samples a client that declared no sampling", server: func() *mcp.Server { return newZoo(true) }},
		{Name: "stray-progress", Check: "tools-progress-token", Doc: "sends progress for a token no request carried", wrap: strayProgress},
		{Name: "late-progress", Check: "tools-progress-token", Doc: "sends progress after the call's answer", wrap: lateProgress},
		{Name: "progress-after-cancel", Check: "tools-cancel-progress", Doc: "slow goes on reporting progress after notifications/cancelled", wrap: dropRequests("notifications/cancelled")},
	}
}

// lineRewriter rewrites each line written through it.
type lineRewriter struct {
	w   io.Writer
	f   func([]byte) []byte
	mu  sync.Mutex
	buf []byte
}

func (l *lineRewriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := l.f(l.buf[:i])
		l.buf = l.buf[i+1:]
		if _, err := l.w.Write(append(line, '\n')); err != nil {
			return len(p), err
		}
	}
}

func (l *lineRewriter) Close() error { return nil }

// errorNull adds "error": null to the empty results, which are ping's.
func errorNull(line []byte) []byte {
	return bytes.Replace(line, []byte(`"result":{}`), []byte(`"error":null,"result":{}`), 1)
}

// multiWrite is a filter whose writes may become several messages.
type multiWrite struct {
	filter
	writes func(jsonrpc.Message) []jsonrpc.Message
}

func (c *multiWrite) Write(ctx context.Context, m jsonrpc.Message) error {
	for _, m := range c.writes(m) {
		if err := c.filter.Write(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// dropAnswers drops the client's answers to the ids the server made up.
func dropAnswers(prefix string) func(jsonrpc.Message) jsonrpc.Message {
	return func(m jsonrpc.Message) jsonrpc.Message {
		if r, ok := m.(*jsonrpc.Response); ok {
			if s, ok := r.ID.Raw().(string); ok && strings.HasPrefix(s, prefix) {
				return nil
			}
		}
		return m
	}
}

// members decodes a JSON object, to change it.
func members(raw json.RawMessage) map[string]any {
	v := map[string]any{}
	json.Unmarshal(raw, &v)
	return v
}

func encode(v any) json.RawMessage {
	data, _ := json.Marshal(v)
	return data
}

// requestsOf remembers the ids of requests for a method, with their params.
type requestsOf struct {
	method string
	mu     sync.Mutex
	params map[string]json.RawMessage
}

// see records m if it is a request for the method; it returns m.
func (q *requestsOf) see(m jsonrpc.Message) jsonrpc.Message {
	if r, ok := m.(*jsonrpc.Request); ok && r.Method == q.method && r.ID.IsValid() {
		q.mu.Lock()
		defer q.mu.Unlock()
		if q.params == nil {
			q.params = map[string]json.RawMessage{}
		}
		q.params[fmt.Sprint(r.ID.Raw())] = r.Params
	}
	return m
}

// answer returns the params of the request m answers, and forgets it.
func (q *requestsOf) answer(m jsonrpc.Message) (json.RawMessage, bool) {
	r, ok := m.(*jsonrpc.Response)
	if !ok {
		return nil, false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	p, ok := q.params[fmt.Sprint(r.ID.Raw())]
	delete(q.params, fmt.Sprint(r.ID.Raw()))
	return p, ok
}

// unacceptedVersion answers initialize at an unknown revision with
// 2025-03-26, but asked for 2025-03-26 it answers 2025-06-18.
func unacceptedVersion(c mcp.Connection) mcp.Connection {
	known := []string{"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"}
	inits := &requestsOf{method: "initialize"}
	return &filter{Connection: c,
		read: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Request); ok && r.Method == "initialize" {
				p := members(r.Params)
				if p["protocolVersion"] == "2025-03-26" {
					p["protocolVersion"] = "2025-06-18"
					r.Params = encode(p)
				}
			}
			return inits.see(m)
		},
		write: func(m jsonrpc.Message) jsonrpc.Message {
			params, ok := inits.answer(m)
			if !ok {
				return m
			}
			asked, _ := members(params)["protocolVersion"].(string)
			if r := m.(*jsonrpc.Response); !slices.Contains(known, asked) && r.Error == nil {
				res := members(r.Result)
				res["protocolVersion"] = "2025-03-26"
				r.Result = encode(res)
			}
			return m
		}}
}

// notificationIDs gives every notification of the server an id.
func notificationIDs(c mcp.Connection) mcp.Connection {
	var n atomic.Int64
	return &filter{Connection: c,
		read: dropAnswers("zoo-note-"),
		write: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Request); ok && !r.ID.IsValid() && strings.HasPrefix(r.Method, "notifications/") {
				withID := *r
				withID.ID, _ = jsonrpc.MakeID(fmt.Sprintf("zoo-note-%d", n.Add(1)))
				return &withID
			}
			return m
		}}
}

// earlyRequest sends roots/list just before its answer to initialize,
// so before the client can have sent notifications/initialized.
func earlyRequest(c mcp.Connection) mcp.Connection {
	inits := &requestsOf{method: "initialize"}
	early, _ := jsonrpc.MakeID("zoo-early")
	return &multiWrite{
		filter: filter{Connection: c, read: func(m jsonrpc.Message) jsonrpc.Message {
			return inits.see(dropAnswers("zoo-early")(m))
		}},
		writes: func(m jsonrpc.Message) []jsonrpc.Message {
			if _, ok := inits.answer(m); ok {
				return []jsonrpc.Message{&jsonrpc.Request{ID: early, Method: "roots/list"}, m}
			}
			return []jsonrpc.Message{m}
		}}
}

// progress is a progress notification.
func progress(token any, n float64) *jsonrpc.Request {
	return &jsonrpc.Request{Method: "notifications/progress", Params: encode(map[string]any{"progressToken": token, "progress": n})}
}

// strayProgress sends, before each answer to ping, progress for a token
// that no request carried.
func strayProgress(c mcp.Connection) mcp.Connection {
	pings := &requestsOf{method: "ping"}
	return &multiWrite{
		filter: filter{Connection: c, read: pings.see},
		writes: func(m jsonrpc.Message) []jsonrpc.Message {
			if _, ok := pings.answer(m); ok {
				return []jsonrpc.Message{progress("zoo-stray", 1), m}
			}
			return []jsonrpc.Message{m}
		}}
}

// lateProgress sends, after its answer to a tool call with a progress
// token, progress for that token.
func lateProgress(c mcp.Connection) mcp.Connection {
	calls := &requestsOf{method: "tools/call"}
	return &multiWrite{
		filter: filter{Connection: c, read: calls.see},
		writes: func(m jsonrpc.Message) []jsonrpc.Message {
			params, ok := calls.answer(m)
			if !ok {
				return []jsonrpc.Message{m}
			}
			var p struct {
				Meta struct {
					ProgressToken any `json:"progressToken"`
				} `json:"_meta"`
			}
			if json.Unmarshal(params, &p) != nil || p.Meta.ProgressToken == nil {
				return []jsonrpc.Message{m}
			}
			return []jsonrpc.Message{m, progress(p.Meta.ProgressToken, 1e6)}
		}}
}
