package mcpservers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// wrapped is a transport whose connections are wrapped: that is how a
// defect changes what a correct server would send or receive.
type wrapped struct {
	mcp.Transport
	wrap func(mcp.Connection) mcp.Connection
}

func (t *wrapped) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil || t.wrap == nil {
		return c, err
	}
	return t.wrap(c), nil
}

func chain(outer, inner func(mcp.Connection) mcp.Connection) func(mcp.Connection) mcp.Connection {
	return func(c mcp.Connection) mcp.Connection { return outer(inner(c)) }
}

// filter is a connection with hooks on what it reads and writes; a hook
// returning nil drops the message.
type filter struct {
	mcp.Connection
	read  func(jsonrpc.Message) jsonrpc.Message
	write func(jsonrpc.Message) jsonrpc.Message
}

func (f *filter) Read(ctx context.Context) (jsonrpc.Message, error) {
	for {
		m, err := f.Connection.Read(ctx)
		if err != nil || f.read == nil {
			return m, err
		}
		if m = f.read(m); m != nil {
			return m, nil
		}
	}
}

func (f *filter) Write(ctx context.Context, m jsonrpc.Message) error {
	if f.write != nil {
		if m = f.write(m); m == nil {
			return nil
		}
	}
	return f.Connection.Write(ctx, m)
}

// dropRequests ignores requests for the methods, as if never received.
func dropRequests(methods ...string) func(mcp.Connection) mcp.Connection {
	return func(c mcp.Connection) mcp.Connection {
		return &filter{Connection: c, read: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Request); ok && slices.Contains(methods, r.Method) {
				return nil
			}
			return m
		}}
	}
}

// mangleStringIDs answers a request with a string id under another id.
func mangleStringIDs(c mcp.Connection) mcp.Connection {
	return &filter{Connection: c, write: func(m jsonrpc.Message) jsonrpc.Message {
		if r, ok := m.(*jsonrpc.Response); ok {
			if s, ok := r.ID.Raw().(string); ok {
				r.ID, _ = jsonrpc.MakeID(s + "-mangled")
			}
		}
		return m
	}}
}

// ignoreCancel is the go-sdk's own behaviour: the answer of a cancelled
// call is sent anyway.
func ignoreCancel(c mcp.Connection) mcp.Connection { return c }

// requestIDs remembers request ids, as their JSON text.
type requestIDs struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (s *requestIDs) add(id any) {
	data, _ := json.Marshal(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]bool{}
	}
	s.ids[string(data)] = true
}

// take reports whether id was added, and forgets it.
func (s *requestIDs) take(id jsonrpc.ID) bool {
	data, _ := json.Marshal(id.Raw())
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := s.ids[string(data)]
	delete(s.ids, string(data))
	return ok
}

// dropCancelled withholds the answer to a call the client cancelled, as
// the specification asks of the receiver of notifications/cancelled.
func dropCancelled(c mcp.Connection) mcp.Connection {
	var cancelled requestIDs
	return &filter{Connection: c,
		read: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Request); ok && r.Method == "notifications/cancelled" {
				var p struct {
					RequestID any `json:"requestId"`
				}
				if json.Unmarshal(r.Params, &p) == nil && p.RequestID != nil {
					cancelled.add(p.RequestID)
				}
			}
			return m
		},
		write: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Response); ok && cancelled.take(r.ID) {
				return nil
			}
			return m
		}}
}

// unknownToolResult turns the error for an unknown tool into an isError
// result, which the specification reserves for tool failures.
func unknownToolResult(c mcp.Connection) mcp.Connection {
	var unknown requestIDs
	return &filter{Connection: c,
		read: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Request); ok && r.Method == "tools/call" {
				var p struct {
					Name string `json:"name"`
				}
				if json.Unmarshal(r.Params, &p) == nil && !slices.Contains(zooTools(), p.Name) {
					unknown.add(r.ID.Raw())
				}
			}
			return m
		},
		write: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Response); ok && r.Error != nil && unknown.take(r.ID) {
				text, _ := json.Marshal(fmt.Sprint(r.Error))
				r.Error = nil
				r.Result = json.RawMessage(`{"content":[{"type":"text","text":` + string(text) + `}],"isError":true}`)
			}
			return m
		}}
}

// refuseOrigin answers a request whose Origin is not the server's own
// with the status, before the server sees it.
func refuseOrigin(status int) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
				http.Error(w, "foreign origin", status)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// anySession issues a session id but accepts any, or none: it serves
// every request statelessly.
func anySession(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Mcp-Session-Id")
		w.Header().Set("Mcp-Session-Id", "zoo-session")
		h.ServeHTTP(w, r)
	})
}

// mangleAllIDs answers every request under another id, the handshake's
// included: numbers are shifted, strings suffixed.
func mangleAllIDs(c mcp.Connection) mcp.Connection {
	return &filter{Connection: c, write: func(m jsonrpc.Message) jsonrpc.Message {
		if r, ok := m.(*jsonrpc.Response); ok {
			switch id := r.ID.Raw().(type) {
			case string:
				r.ID, _ = jsonrpc.MakeID(id + "-mangled")
			case int64:
				r.ID, _ = jsonrpc.MakeID(float64(id + 1000))
			case float64:
				r.ID, _ = jsonrpc.MakeID(id + 1000)
			}
		}
		return m
	}}
}

// methodNotFoundAs answers an unknown method with another error code.
func methodNotFoundAs(code int64) func(mcp.Connection) mcp.Connection {
	return func(c mcp.Connection) mcp.Connection {
		return &filter{Connection: c, write: func(m jsonrpc.Message) jsonrpc.Message {
			if r, ok := m.(*jsonrpc.Response); ok {
				var we *jsonrpc.Error
				if errors.As(r.Error, &we) && we.Code == jsonrpc.CodeMethodNotFound {
					r.Error = &jsonrpc.Error{Code: code, Message: we.Message}
				}
			}
			return m
		}}
	}
}
