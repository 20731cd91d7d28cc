package conform

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"
)

// echoLink is a server that answers each ping, echoing its id the way
// the encoder named by escape writes it.
type echoLink struct {
	out    chan []byte
	escape func(json.RawMessage) string
}

func (l *echoLink) send(_ context.Context, data []byte) error {
	var req struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(data, &req); err != nil {
		return err
	}
	l.out <- fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%s,"result":{}}`, l.escape(req.ID))
	return nil
}

func (l *echoLink) frames() <-chan []byte { return l.out }
func (l *echoLink) close() error          { return nil }

// asciiOnly writes a string id as an ASCII-only encoder does (Python's
// json.dumps by default): the same value, other bytes.
func asciiOnly(id json.RawMessage) string {
	var s string
	if json.Unmarshal(id, &s) != nil {
		return string(id)
	}
	return strconv.QuoteToASCII(s)
}

// An id is the same value however the server's encoder escapes it
// (JSON-RPC 2.0: "the same as the value of the id member").
func TestCheckIDsAcceptsEscapedEcho(t *testing.T) {
	for name, escape := range map[string]func(json.RawMessage) string{
		"verbatim":   func(id json.RawMessage) string { return string(id) },
		"ascii-only": asciiOnly,
	} {
		t.Run(name, func(t *testing.T) {
			s := newSession(&echoLink{out: make(chan []byte, 16), escape: escape}, time.Second)
			defer s.close()
			p := &probe{run: &run{}, revState: &revState{main: s}, res: &Result{Level: Must, Status: Pass}}
			checkIDs(context.Background(), p)
			if p.res.Status != Pass {
				t.Errorf("checkIDs = %s, want pass: %+v", p.res.Status, p.res.Findings)
			}
		})
	}
}

func TestIDKey(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{`"conform-id-ü-1"`, `"conform-id-\u00fc-1"`, true},
		{`"a/b"`, `"a\/b"`, true},
		{` 7 `, `7`, true},
		{`"7"`, `7`, false},
		{`"a"`, `"b"`, false},
	}
	for _, tt := range tests {
		if got := idKey(json.RawMessage(tt.a)) == idKey(json.RawMessage(tt.b)); got != tt.same {
			t.Errorf("idKey(%s) == idKey(%s) is %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}
