package transcript

import (
	"encoding/json"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
)

// A pair is a request and, when the transcript holds it, its response.
type pair struct {
	request  Message
	req      *jsonrpc.Request
	response Message
	resp     *jsonrpc.Response // nil when the request was never answered
}

// pairs returns the requests of t, in order, each with its response.
func (t *Transcript) pairs() ([]pair, error) {
	var pairs []pair
	open := make(map[key]int) // index in pairs of a request awaiting its response
	for _, m := range t.Messages {
		msg, err := jsonrpc.DecodeMessage(m.JSON)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.section(m), err)
		}
		switch msg := msg.(type) {
		case *jsonrpc.Request:
			if msg.ID.IsValid() {
				open[key{m.From, msg.ID.Raw()}] = len(pairs)
				pairs = append(pairs, pair{request: m, req: msg})
			}
		case *jsonrpc.Response:
			k := key{other(m.From), msg.ID.Raw()}
			i, ok := open[k]
			if !ok {
				return nil, fmt.Errorf("%s: no request has id %v", t.section(m), msg.ID.Raw())
			}
			delete(open, k)
			pairs[i].response, pairs[i].resp = m, msg
		}
	}
	return pairs, nil
}

// canonicalParams returns params as compact JSON with sorted keys and
// without _meta, which carries what varies between clients (progress
// tokens, the client's name); absent or null params are "{}".
func canonicalParams(params json.RawMessage) (string, error) {
	var v any
	if len(params) > 0 {
		if err := json.Unmarshal(params, &v); err != nil {
			return "", fmt.Errorf("params: %w", err)
		}
	}
	if m, ok := v.(map[string]any); ok {
		delete(m, "_meta")
	}
	if v == nil {
		v = map[string]any{}
	}
	data, err := json.Marshal(v)
	return string(data), err
}
