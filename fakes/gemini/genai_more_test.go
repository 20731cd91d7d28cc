package fakegemini_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/fakes/internal/stubtb"
	"google.golang.org/genai"
)

func TestGenAIParallelCalls(t *testing.T) {
	const script = `
-- together --
call LS {"path": "/a"} id=1 sig=auto
+call LS {"path": "/b"} id=2
-- separate --
call View {"file_path": "/a"} sig=auto
call View {"file_path": "/b"}
`
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ts := fakegemini.NewTestServer(t, parse(t, script))
			c := newClient(t, b.config(ts.URL, ts.HTTPClient()))
			ctx := context.Background()
			user := []*genai.Content{genai.NewContentFromText("go", genai.RoleUser)}
			for _, want := range []struct {
				chunks int
				names  string
			}{{1, "LS LS"}, {2, "View View"}} {
				chunks, err := collect(ctx, c, user, nil)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				var sigs int
				for _, p := range parts(chunks) {
					names = append(names, p.FunctionCall.Name)
					if len(p.ThoughtSignature) > 0 {
						sigs++
					}
				}
				if len(chunks) != want.chunks || strings.Join(names, " ") != want.names || sigs != 1 {
					t.Errorf("got %d chunks, calls %v, %d signatures; want %d chunks, %s, 1 signature", len(chunks), names, sigs, want.chunks, want.names)
				}
			}
		})
	}
}

func TestGenAIErrors(t *testing.T) {
	const script = `
-- rate limited --
error 429 RESOURCE_EXHAUSTED Resource exhausted. Please try again later.
-- fails mid-stream --
text Hello
text " there"
fail 500 INTERNAL An internal error has occurred.
-- dropped --
text Hello
cut
-- blocked --
block PROHIBITED_CONTENT The prompt is not allowed.
-- truncated --
text Once upon a
finish MAX_TOKENS
-- unsafe --
finish SAFETY
`
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ts := fakegemini.NewTestServer(t, parse(t, script))
			c := newClient(t, b.config(ts.URL, ts.HTTPClient()))
			ctx := context.Background()
			user := []*genai.Content{genai.NewContentFromText("go", genai.RoleUser)}

			_, err := collect(ctx, c, user, nil)
			var apiErr genai.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != 429 || apiErr.Status != "RESOURCE_EXHAUSTED" || apiErr.Message != "Resource exhausted. Please try again later." {
				t.Errorf("HTTP error: got %v", err)
			}

			chunks, err := collect(ctx, c, user, nil)
			if len(chunks) != 2 || !errors.As(err, &apiErr) || apiErr.Code != 500 || apiErr.Status != "INTERNAL" {
				t.Errorf("mid-stream error: got %d chunks, err %v; want 2 chunks then a 500 APIError", len(chunks), err)
			}

			chunks, err = collect(ctx, c, user, nil)
			if len(chunks) != 1 || err == nil || errors.As(err, &apiErr) {
				t.Errorf("dropped connection: got %d chunks, err %v; want 1 chunk then a transport error", len(chunks), err)
			}

			chunks, err = collect(ctx, c, user, nil)
			if err != nil || len(chunks) != 1 || chunks[0].PromptFeedback == nil ||
				chunks[0].PromptFeedback.BlockReason != genai.BlockedReasonProhibitedContent || len(chunks[0].Candidates) != 0 {
				t.Errorf("blocked prompt: got %+v, %v", chunks, err)
			}

			chunks, err = collect(ctx, c, user, nil)
			if err != nil || chunks[len(chunks)-1].Candidates[0].FinishReason != genai.FinishReasonMaxTokens {
				t.Errorf("MAX_TOKENS: got %v", err)
			}

			resp, err := c.Models.GenerateContent(ctx, "gemini-2.5-flash", user, nil)
			if err != nil || resp.Candidates[0].FinishReason != genai.FinishReasonSafety {
				t.Errorf("SAFETY (not streamed): got %+v, %v", resp, err)
			}
		})
	}
}

func TestGenAINonStreamingMerges(t *testing.T) {
	ts := fakegemini.NewTestServer(t, parse(t, `
-- answer --
thought Thinking
text Hello,
text " world."
call LS {"path": "."} sig=auto
fail 503 UNAVAILABLE The service is currently unavailable.
-- second --
thought Thinking
text Hello,
text " world."
call LS {"path": "."} sig=auto
usage prompt=3 candidates=4 thoughts=1
`))
	c := newClient(t, backends[0].config(ts.URL, ts.HTTPClient()))
	ctx := context.Background()
	user := []*genai.Content{genai.NewContentFromText("go", genai.RoleUser)}
	_, err := c.Models.GenerateContent(ctx, "gemini-2.5-flash", user, nil)
	var apiErr genai.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 503 {
		t.Errorf("fail on a unary call: got %v, want a 503 APIError", err)
	}
	resp, err := c.Models.GenerateContent(ctx, "gemini-2.5-flash", user, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range resp.Candidates[0].Content.Parts {
		switch {
		case p.Thought:
			got = append(got, "thought:"+p.Text)
		case p.FunctionCall != nil:
			got = append(got, fmt.Sprintf("call:%s signed:%v", p.FunctionCall.Name, len(p.ThoughtSignature) > 0))
		default:
			got = append(got, "text:"+p.Text)
		}
	}
	want := "thought:Thinking|text:Hello, world.|call:LS signed:true"
	if strings.Join(got, "|") != want {
		t.Errorf("parts = %q, want %q", strings.Join(got, "|"), want)
	}
	if u := resp.UsageMetadata; u.TotalTokenCount != 8 || resp.Candidates[0].FinishReason != genai.FinishReasonStop {
		t.Errorf("usage %+v, finish %q", u, resp.Candidates[0].FinishReason)
	}
}

func TestTestServerFailsTheTest(t *testing.T) {
	// A test whose name speaks of a refusal sends a wrong key first.
	tests := []struct {
		name, script string
		requests     int
		want         string
	}{
		{"unmet expectation", "-- one --\nexpect text weather\ntext Sunny.\n", 1, `t.txtar:1 (one): expected the last user text to contain "weather", got "go"`},
		{"too many requests", "-- one --\ntext Hi.\n", 2, "unexpected request 2: the scenario has only 1 turns"},
		{"unused turns", "-- one --\ntext Hi.\n-- two --\ntext Bye.\n", 1, "scripted turns never used:\n\tt.txtar:3 (two)"},
		{"all used", "-- one --\nexpect tool LS\nexpect model gemini-2.5-flash\nexpect text go\ntext Hi.\n", 1, ""},
		{"refusal not expected", "-- one --\ntext Hi.\n", 0, "fakegemini: refused POST /v1beta/models/gemini-2.5-flash:generateContent: 400 INVALID_ARGUMENT API key not valid. Please pass a valid API key.\n\t(if the test means it, give the scenario a turn: expect refused 400)"},
		{"refusal expected", "-- bad key --\nexpect refused 400 API key not valid\n-- one --\ntext Hi.\n", 1, ""},
		{"another refusal expected", "-- bad key --\nexpect refused 403\n-- one --\ntext Hi.\n", 1, `t.txtar:1 (bad key): expected a refusal with 403 "", got 400 "API key not valid. Please pass a valid API key."`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &stubtb.Recorder{TB: t}
			sc, err := fakegemini.ParseScenario("t.txtar", []byte(tc.script))
			if err != nil {
				t.Fatal(err)
			}
			var ts *fakegemini.TestServer
			t.Run("inner", func(inner *testing.T) {
				rec.TB = inner
				ts = fakegemini.NewTestServer(rec, sc, fakegemini.WithAPIKey("test-key"))
				c := newClient(t, backends[1].config(ts.URL, ts.HTTPClient()))
				if strings.Contains(tc.name, "refus") {
					cfg := backends[1].config(ts.URL, ts.HTTPClient())
					cfg.APIKey = "wrong-key"
					newClient(t, cfg).Models.GenerateContent(context.Background(), "gemini-2.5-flash", genai.Text("go"), nil)
				}
				for range tc.requests {
					c.Models.GenerateContent(context.Background(), "gemini-2.5-flash",
						[]*genai.Content{genai.NewContentFromText("go", genai.RoleUser)},
						&genai.GenerateContentConfig{Tools: lsTool()})
				}
			})
			if got := rec.Failures(); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("failures:\n%s\nwant one containing:\n%s", got, tc.want)
			}
		})
	}
}

func TestInProcessClient(t *testing.T) {
	s := fakegemini.New(fakegemini.ResponderFunc(func(ctx context.Context, req *fakegemini.Request) (*fakegemini.Turn, error) {
		return &fakegemini.Turn{Chunks: []fakegemini.Chunk{fakegemini.Text("one"), fakegemini.Text(" two")}}, nil
	}), nil)
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			c := newClient(t, b.config("http://in-process.invalid", s.Client()))
			chunks, err := collect(context.Background(), c, []*genai.Content{genai.NewContentFromText("go", genai.RoleUser)}, nil)
			if err != nil || len(chunks) != 2 || chunks[1].Text() != " two" {
				t.Errorf("got %d chunks, %v", len(chunks), err)
			}
		})
	}
}

func TestInProcessStreamsProgressively(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := fakegemini.New(fakegemini.ResponderFunc(func(ctx context.Context, req *fakegemini.Request) (*fakegemini.Turn, error) {
		return &fakegemini.Turn{Chunks: []fakegemini.Chunk{fakegemini.Text("first")}, Cut: true}, nil
	}), nil)
	// A wrapping handler holds the stream open after the first event, so a
	// reader that waited for the end would never see it.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { <-release }()
		s.ServeHTTP(w, r)
	})
	c := newClient(t, backends[0].config("http://x.invalid", &http.Client{Transport: fakegemini.Transport(h)}))
	// The deadline turns a transport that buffers the stream into a failure
	// rather than a hang.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for r, err := range c.Models.GenerateContentStream(ctx, "m", []*genai.Content{genai.NewContentFromText("go", genai.RoleUser)}, nil) {
		if err != nil || r.Text() != "first" {
			t.Fatalf("first event: %v %v", r, err)
		}
		break
	}
}

func TestInProcessCancel(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte(`data: {"candidates":[{"content":{"role":"model","parts":[{"text":"a"}]}}]}` + "\r\n\r\n"))
		<-block
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := newClient(t, backends[0].config("http://x.invalid", &http.Client{Transport: fakegemini.Transport(h)}))
	var err error
	n := 0
	for _, err = range c.Models.GenerateContentStream(ctx, "m", []*genai.Content{genai.NewContentFromText("go", genai.RoleUser)}, nil) {
		if err != nil {
			break
		}
		n++
		cancel()
	}
	if n != 1 || !errors.Is(err, context.Canceled) {
		t.Errorf("got %d chunks, err %v; want 1 chunk then context.Canceled", n, err)
	}
}

func TestVertexFromEnvironment(t *testing.T) {
	ts := fakegemini.NewTestServer(t, parse(t, "-- one --\ntext Hi.\n"))
	t.Setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
	t.Setenv("GOOGLE_VERTEX_BASE_URL", ts.URL)
	t.Setenv("GOOGLE_CLOUD_PROJECT", "p")
	t.Setenv("GOOGLE_CLOUD_LOCATION", "us-central1")
	t.Setenv("GOOGLE_API_KEY", "")
	t.Setenv("GEMINI_API_KEY", "")
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent")
	c := newClient(t, &genai.ClientConfig{})
	resp, err := c.Models.GenerateContent(context.Background(), "gemini-2.5-flash", genai.Text("hi"), nil)
	if err != nil || resp.Text() != "Hi." {
		t.Fatalf("got %v, %v", resp, err)
	}
	if reqs := ts.Requests(); len(reqs) != 1 || !reqs[0].Vertex {
		t.Errorf("requests %+v, want one on a Vertex path", reqs)
	}
}
