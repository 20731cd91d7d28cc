package transcript

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A Recorder is an [mcp.Transport] for a client that keeps every message
// going through the transport it wraps: what the client writes is from the
// client, what it reads is from the server. Use it for one connection.
// Its methods are safe for concurrent use.
type Recorder struct {
	transport mcp.Transport

	mu       sync.Mutex
	messages []Message
	methods  map[key]string // the method of each request, by sender and id
}

// key identifies a request: who sent it and its id.
type key struct {
	from Side
	id   any
}

// NewRecorder returns a Recorder wrapping the client transport t.
func NewRecorder(t mcp.Transport) *Recorder {
	return &Recorder{transport: t, methods: make(map[key]string)}
}

// Connect connects the wrapped transport and records what goes through it.
func (r *Recorder) Connect(ctx context.Context) (mcp.Connection, error) {
	conn, err := r.transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &recordingConn{Connection: conn, r: r}, nil
}

// Transcript returns the messages recorded so far, under header h. When h
// has no protocol, it is the one the session negotiated.
func (r *Recorder) Transcript(h Header) *Transcript {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &Transcript{Header: h, Messages: slices.Clone(r.messages)}
	if t.Header.Protocol == "" {
		t.Header.Protocol = negotiated(t.Messages)
	}
	return t
}

// negotiated returns the protocol version of the handshake's result.
func negotiated(messages []Message) string {
	for _, m := range messages {
		if m.From != ServerSide || m.Kind != Response || (m.Method != "initialize" && m.Method != "server/discover") {
			continue
		}
		var res struct {
			Result struct {
				ProtocolVersion   string   `json:"protocolVersion"`
				SupportedVersions []string `json:"supportedVersions"`
			} `json:"result"`
		}
		json.Unmarshal(m.JSON, &res)
		if v := res.Result.ProtocolVersion; v != "" {
			return v
		}
		if len(res.Result.SupportedVersions) > 0 {
			return res.Result.SupportedVersions[0]
		}
	}
	return "unknown"
}

// record appends msg, sent by from.
func (r *Recorder) record(from Side, msg jsonrpc.Message) error {
	data, err := jsonrpc.EncodeMessage(msg)
	if err != nil {
		return fmt.Errorf("recording a message: %w", err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, data, "", "  "); err != nil {
		return fmt.Errorf("recording a message: %w", err)
	}
	kind, method := kindOf(msg)
	r.mu.Lock()
	defer r.mu.Unlock()
	switch msg := msg.(type) {
	case *jsonrpc.Request:
		if msg.ID.IsValid() {
			r.methods[key{from, msg.ID.Raw()}] = msg.Method
		}
	case *jsonrpc.Response:
		method = r.methods[key{other(from), msg.ID.Raw()}]
		if method == "" {
			method = "unknown"
		}
	}
	r.messages = append(r.messages, Message{From: from, Kind: kind, Method: method, JSON: indented.Bytes()})
	return nil
}

func other(s Side) Side {
	if s == ClientSide {
		return ServerSide
	}
	return ClientSide
}

// recordingConn is the client's connection, recorded.
type recordingConn struct {
	mcp.Connection
	r *Recorder
}

func (c *recordingConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	if err != nil {
		return nil, err
	}
	return msg, c.r.record(ServerSide, msg)
}

// Write records msg before sending it, so that it comes before the answer.
func (c *recordingConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	if err := c.r.record(ClientSide, msg); err != nil {
		return err
	}
	return c.Connection.Write(ctx, msg)
}
