package gemini_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/gemini"
)

// reply is one scripted HTTP answer.
type reply struct {
	status int
	body   string
}

// sse frames JSON payloads as a streamGenerateContent body.
func sse(payloads ...string) reply {
	var b strings.Builder
	for _, p := range payloads {
		b.WriteString("data: " + p + "\r\n\r\n")
	}
	return reply{http.StatusOK, b.String()}
}

// scripted returns a Gemini API provider whose server answers the replies
// in order, and the number of requests it received.
func scripted(t *testing.T, replies ...reply) (*gemini.Provider, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(replies) {
			t.Errorf("unexpected request %d: %s", i+1, r.URL)
			http.Error(w, "no more replies", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(replies[i].status)
		w.Write([]byte(replies[i].body))
	}))
	t.Cleanup(srv.Close)
	return newProvider(t, &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "k", HTTPClient: srv.Client(), HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL}}), &n
}

var hello = &llm.Request{
	Model:    "gemini-test",
	Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: "hi"}}}},
}

const (
	malformed = `{"candidates":[{"content":{"role":"model"},"finishReason":"MALFORMED_FUNCTION_CALL","finishMessage":"Malformed function call: print(x"}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":3,"totalTokenCount":13}}`
	okText    = `{"candidates":[{"content":{"role":"model","parts":[{"text":"fine"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":1,"thoughtsTokenCount":4,"cachedContentTokenCount":2,"totalTokenCount":15}}`
	someText  = `{"candidates":[{"content":{"role":"model","parts":[{"text":"let me"}]}}]}`
)

func TestMalformedFunctionCallIsRetriedOnce(t *testing.T) {
	p, n := scripted(t, sse(malformed), sse(okText))
	deltas, err := collect(p.Stream(context.Background(), hello))
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2", n.Load())
	}
	got := renderDeltas(deltas, nil)
	// The retried attempt's tokens were spent too.
	want := `{"text":"fine"}
{"usage":{"PromptTokens":20,"CompletionTokens":8,"ReasoningTokens":4,"CachedTokens":2},"finish":"stop"}
`
	if got != want {
		t.Errorf("(-want +got):\n%s", lineDiff(want, got))
	}
}

func TestMalformedFunctionCallTwiceIsAnError(t *testing.T) {
	p, n := scripted(t, sse(malformed), sse(malformed))
	_, err := collect(p.Stream(context.Background(), hello))
	if !errors.Is(err, gemini.ErrMalformedFunctionCall) {
		t.Errorf("error %v, want ErrMalformedFunctionCall", err)
	}
	if n.Load() != 2 {
		t.Errorf("%d requests, want 2", n.Load())
	}
}

func TestMalformedFunctionCallAfterTextIsNotRetried(t *testing.T) {
	p, n := scripted(t, sse(someText, malformed))
	deltas, err := collect(p.Stream(context.Background(), hello))
	if !errors.Is(err, gemini.ErrMalformedFunctionCall) {
		t.Errorf("error %v, want ErrMalformedFunctionCall", err)
	}
	if len(deltas) != 1 || deltas[0].Text != "let me" {
		t.Errorf("deltas %s, want the text before the failure", renderDeltas(deltas, nil))
	}
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1: the client already saw part of the turn", n.Load())
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		reply reply
		want  llm.Error
		text  string // yielded before the error
	}{{
		name: "retry info",
		reply: reply{429, `{"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED","details":[
			{"@type":"type.googleapis.com/google.rpc.QuotaFailure"},
			{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"12.5s"}]}}`},
		want: llm.Error{StatusCode: 429, Status: "RESOURCE_EXHAUSTED", Message: "Quota exceeded.", RetryAfter: 13},
	}, {
		name:  "plain text body",
		reply: reply{503, "upstream connect error"},
		want:  llm.Error{StatusCode: 503, Message: "upstream connect error"},
	}, {
		name:  "empty body",
		reply: reply{502, ""},
		want:  llm.Error{StatusCode: 502, Message: "Bad Gateway"},
	}, {
		name:  "error frame mid-stream",
		reply: sse(someText, `{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}`),
		want:  llm.Error{StatusCode: 503, Status: "UNAVAILABLE", Message: "The model is overloaded."},
		text:  "let me",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := scripted(t, tt.reply)
			deltas, err := collect(p.Stream(context.Background(), hello))
			var le *llm.Error
			if !errors.As(err, &le) {
				t.Fatalf("error %v (%T), want *llm.Error", err, err)
			}
			if *le != tt.want {
				t.Errorf("error %+v, want %+v", *le, tt.want)
			}
			var text string
			for _, d := range deltas {
				text += d.Text
				if d.Finish != "" {
					t.Errorf("finish %q before the error", d.Finish)
				}
			}
			if text != tt.text {
				t.Errorf("text %q, want %q", text, tt.text)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte("data: " + someText + "\r\n\r\n"))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the model is still thinking
	}))
	t.Cleanup(srv.Close)
	p := newProvider(t, &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "k", HTTPClient: srv.Client(), HTTPOptions: genai.HTTPOptions{BaseURL: srv.URL}})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	var err error
	for d, e := range p.Stream(ctx, hello) {
		if e != nil {
			err = e
			break
		}
		got = append(got, d.Text)
		cancel()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if len(got) != 1 || got[0] != "let me" {
		t.Errorf("deltas %q, want the one sent before cancelling", got)
	}
}

func TestStopReadingEarly(t *testing.T) {
	p, _ := scripted(t, sse(someText, someText, okText))
	n := 0
	for _, err := range p.Stream(context.Background(), hello) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break // the iterator must not yield again (that would panic)
	}
	if n != 1 {
		t.Errorf("read %d deltas, want 1", n)
	}
}

func TestModels(t *testing.T) {
	client, err := genai.NewClient(context.Background(), &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "k", HTTPOptions: genai.HTTPOptions{BaseURL: "http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	p := gemini.NewProvider(gemini.Config{Client: client, Models: []string{"gemini-2.5-flash", "gemini-2.5-pro"}, OwnedBy: "google"}, nil)
	want := []llm.Model{{ID: "gemini-2.5-flash", OwnedBy: "google"}, {ID: "gemini-2.5-pro", OwnedBy: "google"}}
	got := p.Models()
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Models() = %+v, want %+v", got, want)
	}
	got[0].ID = "changed"
	if p.Models()[0].ID != "gemini-2.5-flash" {
		t.Error("Models() exposes the provider's own slice")
	}
}
