package gemini_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/gemini"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/wire/*.txtar")

// TestWire replays responses that the real Gemini API and Vertex AI sent
// (testdata/wire, see NOTICE there) through the real genai client and
// compares the deltas with each file's want section, rendered by
// renderDeltas. Run with -update to rewrite them, then review the diff.
func TestWire(t *testing.T) {
	files, err := filepath.Glob("testdata/wire/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no wire cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			c := readWireCase(t, file)
			p := newWireProvider(t, c)
			deltas, err := collect(p.Stream(context.Background(), &llm.Request{
				Model:    "gemini-test",
				Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: "hi"}}}},
				Options:  llm.Options{IncludeThoughts: true},
			}))
			got := renderDeltas(deltas, err)
			if *update {
				c.setWant(t, got)
				return
			}
			if got != c.want {
				t.Errorf("deltas differ from %s (-want +got):\n%s", file, lineDiff(c.want, got))
			}
			checkDeltaInvariants(t, deltas, err)
			checkSignatures(t, c.body, deltas)

			// Without IncludeThoughts the same stream yields no reasoning,
			// and everything else is unchanged.
			quiet, qerr := collect(newWireProvider(t, c).Stream(context.Background(), &llm.Request{
				Model:    "gemini-test",
				Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: "hi"}}}},
			}))
			if got, want := renderDeltas(quiet, qerr), renderDeltas(withoutReasoning(deltas), err); got != want {
				t.Errorf("without IncludeThoughts (-want +got):\n%s", lineDiff(want, got))
			}
		})
	}
}

// checkDeltaInvariants asserts what every turn must satisfy, whatever the
// recording: no empty delta, the finish reason only on the last delta, a
// tool_calls finish exactly when calls were made, well-formed calls.
func checkDeltaInvariants(t *testing.T, deltas []*llm.Delta, err error) {
	t.Helper()
	if err != nil {
		for _, d := range deltas {
			if d.Finish != "" {
				t.Errorf("a delta carries finish %q although the turn failed", d.Finish)
			}
		}
		return
	}
	if len(deltas) == 0 || deltas[len(deltas)-1].Finish == "" {
		t.Fatalf("the turn does not end with a finish reason")
	}
	calls := 0
	seen := map[string]bool{}
	for i, d := range deltas {
		if d.Text == "" && d.Reasoning == "" && len(d.ToolCalls) == 0 && d.Usage == nil && d.Finish == "" {
			t.Errorf("delta %d is empty", i)
		}
		if d.Finish != "" && i != len(deltas)-1 {
			t.Errorf("delta %d carries finish %q before the end", i, d.Finish)
		}
		for _, tc := range d.ToolCalls {
			calls++
			var args map[string]any
			if err := json.Unmarshal(tc.Arguments, &args); err != nil || args == nil {
				t.Errorf("call %s arguments %s are not a JSON object: %v", tc.Name, tc.Arguments, err)
			}
			if tc.Name == "" || seen[tc.ID] {
				t.Errorf("call %+v has no name or a repeated id", tc)
			}
			seen[tc.ID] = true
		}
	}
	if finish := deltas[len(deltas)-1].Finish; (finish == llm.FinishToolCalls) != (calls > 0) {
		t.Errorf("finish %q with %d tool calls", finish, calls)
	}
}

// checkSignatures asserts that the thought signatures of the recorded
// function calls reach the tool calls byte for byte, in order.
func checkSignatures(t *testing.T, body []byte, deltas []*llm.Delta) {
	t.Helper()
	var want, got []string
	for line := range strings.Lines(string(body)) {
		data, ok := strings.CutPrefix(strings.TrimSpace(line), "data: ")
		if !ok {
			continue
		}
		var resp struct {
			Candidates []struct {
				Content struct {
					Parts []struct {
						FunctionCall     json.RawMessage `json:"functionCall"`
						ThoughtSignature []byte          `json:"thoughtSignature"`
					} `json:"parts"`
				} `json:"content"`
			} `json:"candidates"`
		}
		if err := json.Unmarshal([]byte(data), &resp); err != nil {
			return // not a shape genai reads; the error is checked elsewhere
		}
		for _, c := range resp.Candidates {
			for _, p := range c.Content.Parts {
				if p.FunctionCall != nil && len(p.ThoughtSignature) > 0 {
					want = append(want, string(p.ThoughtSignature))
				}
			}
		}
	}
	for _, d := range deltas {
		for _, tc := range d.ToolCalls {
			if len(tc.Signature) > 0 {
				got = append(got, string(tc.Signature))
			}
		}
	}
	if !slices.Equal(want, got) {
		t.Errorf("tool call signatures differ from the recorded ones: %d recorded, %d yielded", len(want), len(got))
	}
}

// wireCase is one recorded response.
type wireCase struct {
	file    string
	archive *txtar.Archive
	vertex  bool
	status  int
	body    []byte
	want    string
}

func readWireCase(t *testing.T, file string) *wireCase {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := &wireCase{file: file, archive: a, vertex: bytes.Contains(a.Comment, []byte("\nAPI: Vertex AI\n"))}
	for _, f := range a.Files {
		switch f.Name {
		case "status":
			c.status, err = strconv.Atoi(strings.TrimSpace(string(f.Data)))
			if err != nil {
				t.Fatalf("%s: status: %v", file, err)
			}
		case "response":
			c.body = f.Data
		case "want":
			c.want = string(f.Data)
		default:
			t.Fatalf("%s: unexpected section %q", file, f.Name)
		}
	}
	if c.status == 0 || c.body == nil {
		t.Fatalf("%s: missing status or response section", file)
	}
	return c
}

func (c *wireCase) setWant(t *testing.T, want string) {
	t.Helper()
	for i, f := range c.archive.Files {
		if f.Name == "want" {
			c.archive.Files[i].Data = []byte(want)
		}
	}
	if err := os.WriteFile(c.file, txtar.Format(c.archive), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newWireProvider returns a provider whose client talks to a server that
// answers the case's recorded response to a well-formed streaming request.
func newWireProvider(t *testing.T, c *wireCase) *gemini.Provider {
	t.Helper()
	path := "/v1beta/models/gemini-test:streamGenerateContent"
	if c.vertex {
		path = "/v1beta1/projects/p/locations/l/publishers/google/models/gemini-test:streamGenerateContent"
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != path || r.URL.Query().Get("alt") != "sse" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			http.Error(w, "unexpected request", http.StatusNotFound)
			return
		}
		if c.status == http.StatusOK {
			w.Header().Set("Content-Type", "text/event-stream")
		} else {
			w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		}
		w.WriteHeader(c.status)
		w.Write(c.body)
	}))
	t.Cleanup(srv.Close)
	b := &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "test-key", HTTPClient: srv.Client(), HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL}}
	if c.vertex {
		b = &genai.ClientConfig{Backend: genai.BackendVertexAI, Project: "p", Location: "l", HTTPClient: srv.Client(), HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL}}
	}
	return newProvider(t, b)
}

func newProvider(t *testing.T, cc *genai.ClientConfig) *gemini.Provider {
	t.Helper()
	client, err := genai.NewClient(context.Background(), cc)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	return gemini.NewProvider(gemini.Config{Client: client, Models: []string{"gemini-test"}}, &gemini.Options{
		NewCallID: func() string { n++; return fmt.Sprintf("call_%d", n) },
	})
}

func collect(seq func(func(*llm.Delta, error) bool)) ([]*llm.Delta, error) {
	var deltas []*llm.Delta
	for d, err := range seq {
		if err != nil {
			return deltas, err
		}
		deltas = append(deltas, d)
	}
	return deltas, nil
}

func withoutReasoning(deltas []*llm.Delta) []*llm.Delta {
	var out []*llm.Delta
	for _, d := range deltas {
		c := *d
		c.Reasoning = ""
		if c.Text == "" && len(c.ToolCalls) == 0 && c.Usage == nil && c.Finish == "" {
			continue
		}
		out = append(out, &c)
	}
	return out
}

// renderDeltas prints deltas one per line, signatures shortened to their
// first bytes and length, and the error last.
func renderDeltas(deltas []*llm.Delta, err error) string {
	var b strings.Builder
	for _, d := range deltas {
		type call struct {
			ID         string          `json:"id"`
			Name       string          `json:"name"`
			Arguments  json.RawMessage `json:"arguments"`
			Signature  string          `json:"signature,omitempty"`
			ProviderID string          `json:"provider_id,omitempty"`
		}
		var r struct {
			Reasoning string     `json:"reasoning,omitempty"`
			Text      string     `json:"text,omitempty"`
			ToolCalls []call     `json:"tool_calls,omitempty"`
			Usage     *llm.Usage `json:"usage,omitempty"`
			Finish    string     `json:"finish,omitempty"`
		}
		r.Reasoning, r.Text, r.Usage, r.Finish = d.Reasoning, d.Text, d.Usage, string(d.Finish)
		for _, tc := range d.ToolCalls {
			c := call{ID: tc.ID, Name: tc.Name, Arguments: tc.Arguments, ProviderID: tc.ProviderID}
			if len(tc.Signature) > 0 {
				s := base64.StdEncoding.EncodeToString(tc.Signature)
				c.Signature = fmt.Sprintf("%.12s... (%d bytes)", s, len(tc.Signature))
			}
			r.ToolCalls = append(r.ToolCalls, c)
		}
		line, _ := json.Marshal(r)
		b.Write(line)
		b.WriteByte('\n')
	}
	if err != nil {
		var le *llm.Error
		if errors.As(err, &le) {
			fmt.Fprintf(&b, "llm.Error: status=%d %s retry_after=%d message=%q\n", le.StatusCode, le.Status, le.RetryAfter, le.Message)
		} else {
			// Only the start: the rest is genai's wording.
			fmt.Fprintf(&b, "error: %.60s...\n", err)
		}
	}
	return b.String()
}

// lineDiff shows the lines of want and got that differ, as -want +got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n-%s\n+%s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
