package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/openai"
)

// remote is an llm.Provider on an OpenAI-compatible chat API: each model
// turn is one streamed POST /chat/completions, with the tools declared in
// "tools", so the agent loop runs the calls here and sends their results
// back as tool messages.
//
// It speaks the wire types of host/openai, the ones openaiserver serves,
// rather than a client library: a call's Gemini thought signature travels
// as tool_calls[i].extra_content.google.thought_signature, which
// github.com/sashabaranov/go-openai has no field for, and Gemini 3 (and the
// offline model) refuse a resent call that lost it.
type remote struct {
	base   string // ends with /v1
	key    string
	client *http.Client
	models []llm.Model
}

// newRemote connects to the API at rawURL (a bare host gets /v1) and lists
// its models. A server that does not list them (some proxies) is not an
// error: the model must then be named.
func newRemote(ctx context.Context, rawURL, key string, client *http.Client) (*remote, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-server %q: give an http:// or https:// URL, such as http://localhost:8080", rawURL)
	}
	base := strings.TrimRight(u.String(), "/")
	if !strings.HasSuffix(base, "/v1") {
		base += "/v1"
	}
	r := &remote{base: base, key: key, client: client}
	var list openai.ModelList
	if err := r.get(ctx, "/models", &list); err != nil {
		var apiErr *apiError
		if !errors.As(err, &apiErr) {
			return nil, err // not reached at all
		}
	}
	for _, m := range list.Data {
		r.models = append(r.models, llm.Model{ID: m.ID, OwnedBy: m.OwnedBy, Created: m.Created})
	}
	return r, nil
}

// Models returns the models the server listed when it was reached.
func (r *remote) Models() []llm.Model { return r.models }

// apiError is an error answer of the server.
type apiError struct {
	status  int
	message string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("the server answered %d: %s", e.status, e.message)
}

func (r *remote) newRequest(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, r.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.key != "" {
		req.Header.Set("Authorization", "Bearer "+r.key)
	}
	return req, nil
}

func (r *remote) do(req *http.Request) (*http.Response, error) {
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reaching %s: %w", r.base, err)
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		var e openai.ErrorResponse
		msg := strings.TrimSpace(string(b))
		if json.Unmarshal(b, &e) == nil && e.Error.Message != "" {
			msg = e.Error.Message
		}
		return nil, &apiError{status: resp.StatusCode, message: msg}
	}
	return resp, nil
}

func (r *remote) get(ctx context.Context, path string, v any) error {
	req, err := r.newRequest(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	resp, err := r.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("reading %s%s: %w", r.base, path, err)
	}
	return nil
}

// Stream runs one model turn. It yields text and reasoning as they come,
// then one last delta with the assembled tool calls, the usage and the
// finish reason.
func (r *remote) Stream(ctx context.Context, req *llm.Request) iter.Seq2[*llm.Delta, error] {
	return func(yield func(*llm.Delta, error) bool) {
		body, err := json.Marshal(chatRequest(req))
		if err != nil {
			yield(nil, fmt.Errorf("encoding the request: %w", err))
			return
		}
		hreq, err := r.newRequest(ctx, http.MethodPost, "/chat/completions", body)
		if err != nil {
			yield(nil, err)
			return
		}
		hreq.Header.Set("Accept", "text/event-stream")
		resp, err := r.do(hreq)
		if err != nil {
			yield(nil, err)
			return
		}
		defer resp.Body.Close()
		r.read(ctx, resp.Body, yield)
	}
}

// read parses the server-sent events of one answer.
func (r *remote) read(ctx context.Context, body io.Reader, yield func(*llm.Delta, error) bool) {
	var (
		calls  []llm.ToolCall
		args   []strings.Builder
		usage  *llm.Usage
		finish llm.FinishReason
	)
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data:")
		if !ok {
			continue // comments, event names, blank lines
		}
		data = strings.TrimSpace(data)
		if data == "[DONE]" {
			break
		}
		var frame struct {
			openai.Chunk
			Error *openai.Error `json:"error"`
		}
		if err := json.Unmarshal([]byte(data), &frame); err != nil {
			yield(nil, fmt.Errorf("reading the server's stream: %w", err))
			return
		}
		if frame.Error != nil {
			yield(nil, fmt.Errorf("the server's stream ended with an error: %s", frame.Error.Message))
			return
		}
		if u := frame.Usage; len(u) > 0 && string(u) != "null" {
			var ou openai.Usage
			if json.Unmarshal(u, &ou) == nil {
				usage = fromOpenAIUsage(ou)
			}
		}
		for _, c := range frame.Choices {
			if c.Index != 0 {
				continue
			}
			d := &llm.Delta{Reasoning: c.Delta.ReasoningContent}
			if c.Delta.Content != nil {
				d.Text = *c.Delta.Content
			}
			for _, tc := range c.Delta.ToolCalls {
				i := len(calls)
				if tc.Index != nil {
					i = *tc.Index
				}
				for len(calls) <= i {
					calls = append(calls, llm.ToolCall{})
					args = append(args, strings.Builder{})
				}
				if tc.ID != "" {
					calls[i].ID = tc.ID
				}
				if tc.Function.Name != "" {
					calls[i].Name = tc.Function.Name
				}
				args[i].WriteString(tc.Function.Arguments)
				if x := tc.ExtraContent; x != nil && x.Google != nil && x.Google.ThoughtSignature != "" {
					if sig, err := base64.StdEncoding.DecodeString(x.Google.ThoughtSignature); err == nil {
						calls[i].Signature = sig
					}
				}
			}
			if c.FinishReason != nil {
				finish = llm.FinishReason(*c.FinishReason)
			}
			if (d.Text != "" || d.Reasoning != "") && !yield(d, nil) {
				return
			}
		}
	}
	if err := sc.Err(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		yield(nil, fmt.Errorf("reading the server's stream: %w", err))
		return
	}
	if finish == "" {
		yield(nil, errors.New("the server's stream ended without a finish_reason"))
		return
	}
	last := &llm.Delta{Usage: usage, Finish: finish}
	for i := range calls {
		if calls[i].Name == "" {
			continue
		}
		a := strings.TrimSpace(args[i].String())
		if a == "" {
			a = "{}"
		}
		calls[i].Arguments = json.RawMessage(a)
		last.ToolCalls = append(last.ToolCalls, calls[i])
	}
	yield(last, nil)
}

func fromOpenAIUsage(u openai.Usage) *llm.Usage {
	out := &llm.Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens}
	if d := u.CompletionTokensDetails; d != nil {
		out.ReasoningTokens = d.ReasoningTokens
	}
	if d := u.PromptTokensDetails; d != nil {
		out.CachedTokens = d.CachedTokens
	}
	return out
}

// chatRequest is req as an OpenAI chat request, streamed with usage.
func chatRequest(req *llm.Request) *openai.ChatRequest {
	out := &openai.ChatRequest{
		Model:         req.Model,
		Stream:        true,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
		Temperature:   req.Options.Temperature,
		TopP:          req.Options.TopP,
		MaxTokens:     req.Options.MaxTokens,
		Seed:          req.Options.Seed,
		Stop:          req.Options.Stop,
	}
	for _, s := range req.System {
		out.Messages = append(out.Messages, openai.Message{Role: "system", Content: openai.Text(s)})
	}
	out.Messages = append(out.Messages, toOpenAI(req.Messages)...)
	for _, t := range req.Tools {
		out.Tools = append(out.Tools, openai.Tool{Type: "function", Function: openai.Function{
			Name: t.Name, Description: t.Description, Parameters: t.Parameters,
		}})
	}
	return out
}
