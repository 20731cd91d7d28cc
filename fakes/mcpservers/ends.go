package mcpservers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The defects of this file end a client's run early: a server that
// exits, or that holds a request open forever.

// A crash ends a connection when it reads a request for one method, as a
// server that dies on it would.
type crash struct {
	mu     sync.Mutex
	method string // the request that crashed it, once read
}

// on wraps a connection that crashes on reading a request for method.
func (c *crash) on(method string) func(mcp.Connection) mcp.Connection {
	return func(conn mcp.Connection) mcp.Connection { return &crashing{Connection: conn, method: method, crash: c} }
}

// err says why the server crashed, or nil.
func (c *crash) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.method == "" {
		return nil
	}
	return fmt.Errorf("crashed on %s", c.method)
}

type crashing struct {
	mcp.Connection
	method string
	crash  *crash
}

func (c *crashing) Read(ctx context.Context) (jsonrpc.Message, error) {
	m, err := c.Connection.Read(ctx)
	if r, ok := m.(*jsonrpc.Request); ok && err == nil && r.Method == c.method {
		c.crash.mu.Lock()
		c.crash.method = r.Method
		c.crash.mu.Unlock()
		c.Connection.Close()
		return nil, c.crash.err()
	}
	return m, err
}

// holdPost holds the POST of a request for method open until the client
// gives up, as a server stuck on it does: without a word, or, with
// stream, after opening the SSE stream its answer would come on.
func holdPost(method string, stream bool) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost {
				h.ServeHTTP(w, r)
				return
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			var m struct {
				Method string `json:"method"`
			}
			if json.Unmarshal(body, &m) != nil || m.Method != method {
				r.Body = io.NopCloser(bytes.NewReader(body))
				h.ServeHTTP(w, r)
				return
			}
			if stream {
				w.Header().Set("Content-Type", "text/event-stream")
				w.WriteHeader(http.StatusOK)
				http.NewResponseController(w).Flush()
			}
			<-r.Context().Done()
		})
	}
}
