package mcpservers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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
		{Name: "undeclared-sampling", Check: "lifecycle-client-capabilities", Doc: "summarize samples a client that declared no sampling", server: func() *mcp.Server { return newZoo(variant{careless: true}) }},
		{Name: "bad-structured-path", Check: "tools-structured-paths", Doc: "convert's structuredContent breaks its outputSchema for fahrenheit only", server: func() *mcp.Server { return newZoo(variant{brokenPath: true}) }},
		{Name: "stray-progress", Check: "tools-progress-token", Doc: "sends progress for a token no request carried", wrap: strayProgress},
		{Name: "late-progress", Check: "tools-progress-token", Doc: "sends progress after the call's answer", wrap: lateProgress},
		{Name: "progress-after-cancel", Check: "tools-cancel-progress", Doc: "slow goes on reporting progress after notifications/cancelled", wrap: dropRequests("notifications/cancelled")},
		{Name: "bad-capabilities", Check: "lifecycle-server-capabilities", Doc: `declares tools.listChanged as "yes"`, wrap: rewriteResults("initialize", func(_, res map[string]any) {
			caps, _ := res["capabilities"].(map[string]any)
			caps["tools"] = map[string]any{"listChanged": "yes"}
		})},
		{Name: "bad-completion", Check: "completions", Doc: "answers completion/complete with values that are not an array", wrap: rewriteResults("completion/complete", func(_, res map[string]any) {
			res["completion"] = map[string]any{"values": "ada"}
		})},
		{Name: "no-subscribe", Check: "resources-subscribe", Doc: "advertises resources.subscribe but has no resources/subscribe", wrap: renameRequests("resources/subscribe", "resources/zoo-subscribe")},
		{Name: "bad-log", Check: "logging-messages", Doc: `logs at the level "verbose"`, wrap: rewriteSent("notifications/message", func(p map[string]any) { p["level"] = "verbose" })},
		{Name: "bad-sampling-request", Check: "sampling-request", ClientCaps: []string{"sampling"}, Doc: "summarize asks for sampling without maxTokens", wrap: rewriteSent("sampling/createMessage", func(p map[string]any) { delete(p, "maxTokens") })},
		{Name: "nested-elicitation", Check: "elicitation-request", ClientCaps: []string{"elicitation"}, Doc: "confirm elicits a nested object", wrap: rewriteSent("elicitation/create", func(p map[string]any) {
			p["requestedSchema"] = map[string]any{"type": "object", "properties": map[string]any{"answer": map[string]any{"type": "object", "properties": map[string]any{"ok": map[string]any{"type": "boolean"}}}}}
		})},
		{Name: "bad-icons", Check: "icons", Doc: "lists echo with an icon that has no src", wrap: rewriteResults("tools/list", func(_, res map[string]any) {
			tools, _ := res["tools"].([]any)
			for _, t := range tools {
				t.(map[string]any)["icons"] = []any{map[string]any{"mimeType": "image/png"}}
			}
		})},
		{Name: "bad-website", Check: "lifecycle-server-info", Doc: "gives a websiteUrl without a scheme", wrap: rewriteResults("initialize", func(_, res map[string]any) {
			info, _ := res["serverInfo"].(map[string]any)
			info["websiteUrl"] = "www.example.com/zoo"
		})},
		{Name: "draft07-schema", Check: "tools-schema-dialect", Doc: "a tool's inputSchema, naming no dialect, has draft-07's tuple items", server: draft07Schema},
		{Name: "bad-tasks", Check: "tasks", Doc: "answers tasks/get of an unknown task with a task", laxTasks: true},
		{Name: "get-not-sse", Check: "http-get", HTTP: true, Doc: "answers GET with a plain text page, neither an SSE stream nor 405", http: plainGet},
		{Name: "bad-session-id", Check: "http-session-id", HTTP: true, Doc: "issues session ids with a space", http: spacedSessionIDs},
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

// rewriteParams changes the params of the requests for a method.
func rewriteParams(method string, f func(params map[string]any)) func(mcp.Connection) mcp.Connection {
	return func(c mcp.Connection) mcp.Connection {
		return &filter{Connection: c, read: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Request); ok && r.Method == method {
				p := members(r.Params)
				f(p)
				r.Params = encode(p)
			}
			return m
		}}
	}
}

// renameRequests makes requests for a method reach the server under
// another name, which it does not know.
func renameRequests(from, to string) func(mcp.Connection) mcp.Connection {
	return func(c mcp.Connection) mcp.Connection {
		return &filter{Connection: c, read: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Request); ok && r.Method == from {
				r.Method = to
			}
			return m
		}}
	}
}

// rewriteResults changes the results of the answers to a method; f
// sees the request's params too.
func rewriteResults(method string, f func(params, result map[string]any)) func(mcp.Connection) mcp.Connection {
	return func(c mcp.Connection) mcp.Connection {
		calls := &requestsOf{method: method}
		return &filter{Connection: c, read: calls.see, write: func(m jsonrpc.Message) jsonrpc.Message {
			if params, ok := calls.answer(m); ok {
				if r := m.(*jsonrpc.Response); r.Error == nil {
					res := members(r.Result)
					f(members(params), res)
					r.Result = encode(res)
				}
			}
			return m
		}}
	}
}

// rewriteSent changes the params of the server's own requests and
// notifications of a method.
func rewriteSent(method string, f func(params map[string]any)) func(mcp.Connection) mcp.Connection {
	return func(c mcp.Connection) mcp.Connection {
		return &filter{Connection: c, write: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Request); ok && r.Method == method {
				p := members(r.Params)
				f(p)
				sent := *r
				sent.Params = encode(p)
				return &sent
			}
			return m
		}}
	}
}

// unacceptedVersion answers initialize at an unknown revision with
// 2025-03-26, but asked for 2025-03-26 it answers 2025-06-18.
func unacceptedVersion(c mcp.Connection) mcp.Connection {
	return chain(rewriteResults("initialize", func(params, result map[string]any) {
		known := []string{"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"}
		if asked, _ := params["protocolVersion"].(string); !slices.Contains(known, asked) {
			result["protocolVersion"] = "2025-03-26"
		}
	}),
		rewriteParams("initialize", func(params map[string]any) {
			if params["protocolVersion"] == "2025-03-26" {
				params["protocolVersion"] = "2025-06-18"
			}
		}))(c)
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

// plainGet answers GET with a page of text.
func plainGet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "the zoo\n")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// spacedSessionIDs shows the session ids with a space inside, and takes
// them back.
func spacedSessionIDs(h http.Handler) http.Handler {
	const mark = " zoo"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := r.Header.Get("Mcp-Session-Id"); id != "" {
			r.Header.Set("Mcp-Session-Id", strings.TrimSuffix(id, mark))
		}
		h.ServeHTTP(&sessionIDWriter{ResponseWriter: w, mark: mark}, r)
	})
}

// sessionIDWriter adds mark to the session id of the answer.
type sessionIDWriter struct {
	http.ResponseWriter
	mark string
	done bool
}

func (w *sessionIDWriter) fix() {
	if !w.done {
		w.done = true
		if id := w.Header().Get("Mcp-Session-Id"); id != "" {
			w.Header().Set("Mcp-Session-Id", id+w.mark)
		}
	}
}

func (w *sessionIDWriter) WriteHeader(code int) { w.fix(); w.ResponseWriter.WriteHeader(code) }

func (w *sessionIDWriter) Write(b []byte) (int, error) { w.fix(); return w.ResponseWriter.Write(b) }

// Flush keeps SSE streams flowing.
func (w *sessionIDWriter) Flush() {
	w.fix()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// draft07Schema is the correct server plus a tool whose inputSchema uses
// draft-07's tuple form of items without naming draft-07.
func draft07Schema() *mcp.Server {
	s := newCorrect()
	s.AddTool(&mcp.Tool{Name: "pair", Description: "takes a name and a number", InputSchema: json.RawMessage(`{"type":"object","properties":{"pair":{"type":"array","items":[{"type":"string"},{"type":"number"}]}}}`)},
		func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			var in struct {
				Pair []any `json:"pair"`
			}
			if err := json.Unmarshal(req.Params.Arguments, &in); err != nil {
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "pair must be an array"}}, IsError: true}, nil
			}
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}, nil
		})
	return s
}
