package conform

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/owulveryck/gomcptest/fakes/mcpservers"
)

// TestClientCapsRoundTrips declares every client capability to the
// correct server: its sampling and elicitation tools ask, the checker
// answers, and the requests are judged.
func TestClientCapsRoundTrips(t *testing.T) {
	d, _ := mcpservers.Lookup(mcpservers.Correct)
	rep, err := Check(t.Context(), zooTarget(t, d), &Options{CallTools: true, Timeout: time.Second, Samples: 1, ClientCaps: ClientCapabilities()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Errorf("the correct server fails a MUST check with every client capability:\n%s", summary(rep))
	}
	for _, id := range []string{"sampling-request", "elicitation-request", "lifecycle-client-capabilities"} {
		if res := rep.Result(id); res.Status != Pass {
			t.Errorf("%s: %s (%s), want pass", id, res.Status, res.Reason)
		}
	}
}

func TestClientCapsUnknown(t *testing.T) {
	d, _ := mcpservers.Lookup(mcpservers.Correct)
	if _, err := Check(t.Context(), zooTarget(t, d), &Options{ClientCaps: []string{"telepathy"}}); err == nil {
		t.Error("Check with the client capability telepathy succeeded, want an error")
	}
}

func TestClientCapsObject(t *testing.T) {
	tests := []struct {
		names []string
		want  string
	}{
		{nil, `{}`},
		{[]string{CapSampling, CapRoots}, `{"roots":{},"sampling":{}}`},
		{[]string{CapSamplingTools}, `{"sampling":{"tools":{}}}`},
		{[]string{CapElicitation}, `{"elicitation":{}}`},
		{[]string{CapElicitForm, CapElicitURL}, `{"elicitation":{"form":{},"url":{}}}`},
	}
	for _, tt := range tests {
		c, err := newClientCaps(tt.names, "/tmp")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(c.object())
		if string(got) != tt.want {
			t.Errorf("%v declares %s, want %s", tt.names, got, tt.want)
		}
	}
}

// TestClientCapsMissing says which declared capability each request of
// a server needs.
func TestClientCapsMissing(t *testing.T) {
	req := func(method, params string) *message {
		return &message{Method: method, ID: json.RawMessage(`1`), Params: json.RawMessage(params)}
	}
	sampling := req("sampling/createMessage", `{"messages":[],"maxTokens":1}`)
	withTools := req("sampling/createMessage", `{"messages":[],"maxTokens":1,"tools":[{"name":"t","inputSchema":{"type":"object"}}]}`)
	form := req("elicitation/create", `{"message":"?","requestedSchema":{"type":"object","properties":{}}}`)
	urlMode := req("elicitation/create", `{"mode":"url","message":"?","elicitationId":"e","url":"https://example.com"}`)
	roots := req("roots/list", `{}`)
	tests := []struct {
		names []string
		m     *message
		rev   string
		want  string
	}{
		{nil, sampling, rev20251125, "sampling"},
		{nil, roots, rev20251125, "roots"},
		{nil, form, rev20250618, "elicitation"},
		{[]string{CapSampling}, sampling, rev20251125, ""},
		{[]string{CapSampling}, withTools, rev20251125, "sampling.tools"},
		{[]string{CapSampling}, withTools, rev20250618, ""}, // no sampling.tools before 2025-11-25
		{[]string{CapSamplingTools}, withTools, rev20251125, ""},
		{[]string{CapElicitation}, form, rev20251125, ""},
		{[]string{CapElicitation}, urlMode, rev20251125, "elicitation.url"},
		{[]string{CapElicitURL}, form, rev20251125, "elicitation.form"},
		{[]string{CapElicitURL}, urlMode, rev20251125, ""},
		{[]string{CapRoots}, roots, rev20251125, ""},
	}
	for _, tt := range tests {
		c, _ := newClientCaps(tt.names, "/tmp")
		if got := c.missing(tt.m, tt.rev); got != tt.want {
			t.Errorf("%v, %s %s at %s: missing %q, want %q", tt.names, tt.m.Method, tt.m.Params, tt.rev, got, tt.want)
		}
	}
}

// TestClientCapsAnswers checks the canned answers against the shapes
// the schema gives them.
func TestClientCapsAnswers(t *testing.T) {
	c, _ := newClientCaps(ClientCapabilities(), "/tmp/work")
	tests := []struct {
		method, params, want string
	}{
		{"sampling/createMessage", `{"messages":[],"maxTokens":1}`, `{"content":{"text":"conform: a canned answer","type":"text"},"model":"conform-canned","role":"assistant","stopReason":"endTurn"}`},
		{"elicitation/create", `{"message":"?","requestedSchema":{"type":"object","properties":{"ok":{"type":"boolean"},"n":{"type":"integer","minimum":3},"note":{"type":"string"}},"required":["ok","n"]}}`, `{"action":"accept","content":{"n":3,"note":"x","ok":false}}`},
		{"elicitation/create", `{"mode":"url","message":"?","elicitationId":"e","url":"https://example.com"}`, `{"action":"decline"}`},
		{"roots/list", `{}`, `{"roots":[{"name":"conform","uri":"file:///tmp/work"}]}`},
	}
	for _, tt := range tests {
		res, ok := c.answer(&message{Method: tt.method, Params: json.RawMessage(tt.params)})
		if !ok {
			t.Errorf("%s: no answer", tt.method)
			continue
		}
		got, _ := json.Marshal(res)
		if diff := cmp.Diff(tt.want, string(got)); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tt.method, tt.params, diff)
		}
	}
	var none *clientCaps
	if _, ok := none.answer(&message{Method: "roots/list"}); ok {
		t.Error("a client that declared nothing answered roots/list")
	}
}
