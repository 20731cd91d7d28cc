package toolkit

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// withoutCancelledAnswers is a transport whose connections withhold the
// answer to a request the client cancelled, as the specification asks of
// the receiver of notifications/cancelled; the go-sdk sends it anyway.
type withoutCancelledAnswers struct{ mcp.Transport }

func (t withoutCancelledAnswers) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &cancelFilter{Connection: c, cancelled: map[string]bool{}}, nil
}

type cancelFilter struct {
	mcp.Connection
	mu        sync.Mutex
	cancelled map[string]bool // request ids, as JSON
}

func (c *cancelFilter) Read(ctx context.Context) (jsonrpc.Message, error) {
	m, err := c.Connection.Read(ctx)
	if r, ok := m.(*jsonrpc.Request); ok && err == nil && r.Method == "notifications/cancelled" {
		var p struct {
			RequestID json.RawMessage `json:"requestId"`
		}
		if json.Unmarshal(r.Params, &p) == nil && len(p.RequestID) > 0 {
			c.mu.Lock()
			c.cancelled[string(p.RequestID)] = true
			c.mu.Unlock()
		}
	}
	return m, err
}

func (c *cancelFilter) Write(ctx context.Context, m jsonrpc.Message) error {
	if r, ok := m.(*jsonrpc.Response); ok {
		id, _ := json.Marshal(r.ID.Raw())
		c.mu.Lock()
		drop := c.cancelled[string(id)]
		delete(c.cancelled, string(id))
		c.mu.Unlock()
		if drop {
			return nil
		}
	}
	return c.Connection.Write(ctx, m)
}
