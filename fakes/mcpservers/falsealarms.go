package mcpservers

// The correct servers of the zoo that do something a checker might
// wrongly flag, each seen on a real server.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// emptyVersion answers initialize with serverInfo.version "", as every
// go-sdk server does whose Implementation has no Version: the schema
// asks for a string, not for a non-empty one.
func emptyVersion(c mcp.Connection) mcp.Connection {
	return &filter{Connection: c, write: func(m jsonrpc.Message) jsonrpc.Message {
		r, ok := m.(*jsonrpc.Response)
		if !ok || r.Error != nil {
			return m
		}
		var res map[string]any
		if json.Unmarshal(r.Result, &res) != nil {
			return m
		}
		info, ok := res["serverInfo"].(map[string]any)
		if !ok {
			return m
		}
		info["version"] = ""
		r.Result, _ = json.Marshal(res)
		return m
	}}
}

// The input schemas of refSchema, as Pydantic and zod emit them: the
// arguments are definitions that properties name with $ref.
const (
	// place: a point whose coordinates are a definition of their own, a
	// nullable enum, and a tree whose nodes hold nodes (not required, so
	// a finite value exists).
	placeSchema = `{
		"type": "object",
		"$defs": {
			"Coord": {"type": "integer", "minimum": 1, "maximum": 9},
			"Point": {
				"type": "object",
				"properties": {"x": {"$ref": "#/$defs/Coord"}, "y": {"$ref": "#/$defs/Coord"}},
				"required": ["x", "y"],
				"additionalProperties": false
			},
			"Color": {"type": "string", "enum": ["red", "green"]},
			"Node": {
				"type": "object",
				"properties": {"name": {"type": "string", "minLength": 1}, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
				"required": ["name"]
			}
		},
		"properties": {
			"at": {"$ref": "#/$defs/Point"},
			"color": {"anyOf": [{"$ref": "#/$defs/Color"}, {"type": "null"}]},
			"tree": {"$ref": "#/$defs/Node"}
		},
		"required": ["at", "color", "tree"],
		"additionalProperties": false
	}`
	// paint: draft-07's definitions, which 2020-12 keeps reachable by
	// JSON pointer.
	paintSchema = `{
		"type": "object",
		"definitions": {"Shade": {"type": "object", "properties": {"level": {"type": "number", "exclusiveMinimum": 0}}, "required": ["level"]}},
		"properties": {"shade": {"$ref": "#/definitions/Shade"}},
		"required": ["shade"]
	}`
)

// refSchema is the correct server plus two tools whose input schemas
// use $ref. The go-sdk validates arguments against them.
func refSchema() *mcp.Server {
	s := newCorrect()
	for _, t := range []struct{ name, schema string }{{"place", placeSchema}, {"paint", paintSchema}} {
		mcp.AddTool(s, &mcp.Tool{Name: t.name, Description: "accepts arguments described through $ref", InputSchema: json.RawMessage(t.schema)},
			func(_ context.Context, _ *mcp.CallToolRequest, in map[string]any) (*mcp.CallToolResult, any, error) {
				text, _ := json.Marshal(in)
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(text)}}}, nil, nil
			})
	}
	return s
}

// longWork is how long the tool "long" of longProgress works: longer
// than the exchange timeout of the zoo's tests, and than a default 5s.
const longWork = 1500 * time.Millisecond

// longProgress is the correct server plus a tool that takes longWork,
// reporting progress all along to a caller that asked for it: the
// lifecycle lets a client reset its timeout on each notification.
func longProgress() *mcp.Server {
	s := newCorrect()
	mcp.AddTool(s, &mcp.Tool{Name: "long", Description: "works for a while, reporting progress"},
		func(ctx context.Context, req *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
			return work(ctx, req, longWork)
		})
	return s
}

// raceCancel plays a call that completes just as its cancellation
// arrives: on reading notifications/cancelled for a call in progress, it
// first sends the call's result, as a server whose processing had just
// completed would, then withholds the server's own answer and the
// progress its tool, not yet stopped, still reports. The
// specification allows it: "Processing may have completed before
// cancellation arrives".
func raceCancel(c mcp.Connection) mcp.Connection {
	return &racing{Connection: c, calls: map[string]string{}, over: map[string]bool{}}
}

type racing struct {
	mcp.Connection
	mu       sync.Mutex
	calls    map[string]string // tools/call requests not answered yet: their progress tokens
	over     map[string]bool   // the progress tokens of the calls answered here
	answered requestIDs        // the calls answered here
}

// progressToken returns the progress token of a request's params, as
// JSON text, or "".
func progressToken(params json.RawMessage) string {
	var p struct {
		Token json.RawMessage `json:"progressToken"`
		Meta  struct {
			Token json.RawMessage `json:"progressToken"`
		} `json:"_meta"`
	}
	json.Unmarshal(params, &p)
	return cmp.Or(string(p.Meta.Token), string(p.Token))
}

func idText(id any) string {
	data, _ := json.Marshal(id)
	return string(data)
}

func (r *racing) Read(ctx context.Context) (jsonrpc.Message, error) {
	m, err := r.Connection.Read(ctx)
	req, ok := m.(*jsonrpc.Request)
	if err != nil || !ok {
		return m, err
	}
	switch req.Method {
	case "tools/call":
		r.mu.Lock()
		r.calls[idText(req.ID.Raw())] = progressToken(req.Params)
		r.mu.Unlock()
	case "notifications/cancelled":
		var p struct {
			RequestID any `json:"requestId"`
		}
		if json.Unmarshal(req.Params, &p) != nil {
			break
		}
		r.mu.Lock()
		token, pending := r.calls[idText(p.RequestID)]
		delete(r.calls, idText(p.RequestID))
		if pending && token != "" {
			r.over[token] = true
		}
		r.mu.Unlock()
		if !pending {
			break
		}
		id, err := jsonrpc.MakeID(p.RequestID)
		if err != nil {
			break
		}
		r.answered.add(p.RequestID)
		done := &jsonrpc.Response{ID: id, Result: json.RawMessage(`{"content":[{"type":"text","text":"done"}]}`)}
		if err := r.Connection.Write(ctx, done); err != nil {
			return nil, fmt.Errorf("answering the cancelled call: %w", err)
		}
	}
	return m, nil
}

func (r *racing) Write(ctx context.Context, m jsonrpc.Message) error {
	if n, ok := m.(*jsonrpc.Request); ok && n.Method == "notifications/progress" {
		r.mu.Lock()
		over := r.over[progressToken(n.Params)]
		r.mu.Unlock()
		if over {
			return nil
		}
	}
	if resp, ok := m.(*jsonrpc.Response); ok {
		if r.answered.take(resp.ID) {
			return nil
		}
		r.mu.Lock()
		delete(r.calls, idText(resp.ID.Raw()))
		r.mu.Unlock()
	}
	return r.Connection.Write(ctx, m)
}

// strictPrompt is the correct server whose prompt greets only the names
// it knows and refuses others with -32602, as "Servers SHOULD validate
// prompt arguments before processing" asks.
func strictPrompt() *mcp.Server {
	s := newCorrect()
	s.RemovePrompts("greet")
	s.AddPrompt(&mcp.Prompt{Name: "greet", Arguments: []*mcp.PromptArgument{{Name: "who", Description: "world or zoo", Required: true}}},
		func(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			who := req.Params.Arguments["who"]
			if !slices.Contains([]string{"world", "zoo"}, who) {
				return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: fmt.Sprintf("who: %q is neither world nor zoo", who)}
			}
			return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: "hello " + who}}}}, nil
		})
	return s
}

// refuseDiscover answers server/discover as the HTTP servers of earlier
// revisions answer any request before initialize: 400 Bad Request, with a
// JSON-RPC error whose id is null.
func refuseDiscover(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var m struct {
			Method string `json:"method"`
		}
		if json.Unmarshal(body, &m) == nil && m.Method == "server/discover" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

// batchDelay is how late lateBatch answers.
const batchDelay = 50 * time.Millisecond

// lateBatch answers the requests with string ids, those of the checker's
// batches, batchDelay late, and so after the ping sent behind them; like
// the go-sdk, it drops answers still pending when its input ends.
func lateBatch(c mcp.Connection) mcp.Connection { return &late{Connection: c} }

func isString(id jsonrpc.ID) bool {
	_, ok := id.Raw().(string)
	return ok
}

type late struct {
	mcp.Connection
	mu    sync.Mutex
	ended bool
}

func (l *late) Read(ctx context.Context) (jsonrpc.Message, error) {
	m, err := l.Connection.Read(ctx)
	if err != nil {
		l.mu.Lock()
		l.ended = true
		l.mu.Unlock()
	}
	return m, err
}

func (l *late) Write(ctx context.Context, m jsonrpc.Message) error {
	if r, ok := m.(*jsonrpc.Response); !ok || !isString(r.ID) {
		return l.Connection.Write(ctx, m)
	}
	ctx = context.WithoutCancel(ctx)
	time.AfterFunc(batchDelay, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if !l.ended {
			l.Connection.Write(ctx, m)
		}
	})
	return nil
}
