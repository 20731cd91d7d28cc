package conform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// A message is one JSON-RPC message as it came off the wire. It keeps the
// raw bytes so that a finding can quote them as evidence.
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`

	raw     []byte
	arrival int // the order in which its session received it, from 1
}

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("JSON-RPC error %d: %s", e.Code, e.Message) }

// JSON-RPC and MCP error codes the checks expect.
const (
	codeParseError     = -32700
	codeInvalidRequest = -32600
	codeMethodNotFound = -32601
	codeInvalidParams  = -32602
)

// hasID reports whether the message carries an id member, null or not.
func (m *message) hasID() bool { return len(m.ID) > 0 }

// isResponse reports whether m answers a request.
func (m *message) isResponse() bool { return m.Method == "" && (m.Result != nil || m.Error != nil) }

// String returns the raw message, shortened, for evidence.
func (m *message) String() string { return evidence(m.raw) }

// parseFrame splits one frame into messages: one for an object, several
// for a batch. ok is false when the frame is not JSON-RPC at all.
func parseFrame(data []byte) (msgs []*message, batch, ok bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, false, false
	}
	if data[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(data, &raws); err != nil || len(raws) == 0 {
			return nil, true, false
		}
		for _, r := range raws {
			m, ok := parseMessage(r)
			if !ok {
				return nil, true, false
			}
			msgs = append(msgs, m)
		}
		return msgs, true, true
	}
	m, ok := parseMessage(data)
	if !ok {
		return nil, false, false
	}
	return []*message{m}, false, true
}

func parseMessage(data []byte) (*message, bool) {
	var m message
	if err := json.Unmarshal(data, &m); err != nil || m.JSONRPC != "2.0" {
		return nil, false
	}
	m.raw = append([]byte(nil), data...)
	return &m, true
}

// evidence shortens raw wire bytes for a report.
func evidence(b []byte) string {
	const max = 600
	s := string(bytes.TrimSpace(b))
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// idKey is the canonical form of an id, for matching answers to requests.
// A string id is compared by value, not by bytes: an encoder that escapes
// non-ASCII ("\u00fc") or "/" echoes the same id, as JSON-RPC requires.
// Numbers and anything else keep their trimmed text.
func idKey(id json.RawMessage) string {
	id = bytes.TrimSpace(id)
	var s string
	if len(id) > 0 && id[0] == '"' && json.Unmarshal(id, &s) == nil {
		return strconv.Quote(s)
	}
	return string(id)
}
