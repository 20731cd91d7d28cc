package subagent

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// The defaults of an Endpoint, those of the original sub-agent.
const (
	DefaultBaseURL = "https://api.openai.com/v1"
	DefaultModel   = "gpt-3.5-turbo"
)

// ErrNoAPIKey is returned (wrapped) when the default endpoint is called
// without an API key.
var ErrNoAPIKey = errors.New("OPENAI_API_KEY is not set")

// Endpoint says where chat completions go.
type Endpoint struct {
	// BaseURL is the API root, such as https://api.openai.com/v1 or
	// http://127.0.0.1:11434/v1; empty means DefaultBaseURL.
	BaseURL string
	// Model is used when a request names none; empty means DefaultModel.
	Model string
	// APIKey is sent as a bearer token when set. The default endpoint
	// needs one; a local endpoint may not.
	APIKey string
}

// Request is one message to send.
type Request struct {
	Message string
	System  string // optional system prompt
	Model   string // empty means the endpoint's model
}

// client sends requests to one endpoint.
type client struct {
	ep      Endpoint
	oa      *openai.Client
	timeout time.Duration
}

func newClient(ep Endpoint, hc *http.Client, timeout time.Duration) *client {
	cfg := openai.DefaultConfig(ep.APIKey)
	cfg.BaseURL = ep.BaseURL
	cfg.HTTPClient = hc
	return &client{ep: ep, oa: openai.NewClientWithConfig(cfg), timeout: timeout}
}

// complete sends req and returns the answer. Its errors are sentences a
// model can act on.
func (c *client) complete(ctx context.Context, req Request) (*Completion, error) {
	if c.ep.APIKey == "" && c.ep.BaseURL == DefaultBaseURL {
		return nil, fmt.Errorf("%w: %s needs an API key; set OPENAI_API_KEY, or set OPENAI_BASE_URL to an endpoint that needs none (a local llama.cpp or Ollama, openaiserver)", ErrNoAPIKey, c.ep.BaseURL)
	}
	var msgs []openai.ChatCompletionMessage
	if req.System != "" {
		msgs = append(msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleSystem, Content: req.System})
	}
	msgs = append(msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, Content: req.Message})
	ctx, cancel := context.WithTimeoutCause(ctx, c.timeout, errTimeout)
	defer cancel()
	res, err := c.oa.CreateChatCompletion(ctx, openai.ChatCompletionRequest{Model: req.Model, Messages: msgs})
	if err != nil {
		if context.Cause(ctx) == errTimeout {
			err = errTimeout
		}
		return nil, c.redact(c.explain(err, req.Model))
	}
	if len(res.Choices) == 0 {
		return nil, fmt.Errorf("the endpoint %s answered without a choice for model %q", c.ep.BaseURL, req.Model)
	}
	ch := res.Choices[0]
	return &Completion{
		Text:         ch.Message.Content,
		Model:        res.Model,
		FinishReason: string(ch.FinishReason),
		Usage: Usage{
			PromptTokens:     res.Usage.PromptTokens,
			CompletionTokens: res.Usage.CompletionTokens,
			TotalTokens:      res.Usage.TotalTokens,
		},
	}, nil
}

// redact hides the API key in err, should the endpoint echo it back (a
// proxy or debugging server quoting the Authorization header): the error
// goes to the model and the log.
func (c *client) redact(err error) error {
	if c.ep.APIKey == "" || !strings.Contains(err.Error(), c.ep.APIKey) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), c.ep.APIKey, "[OPENAI_API_KEY]"), err: err}
}

// A redactedError is an error whose text no longer holds the API key.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// errTimeout is the cause of a request that ran out of time.
var errTimeout = errors.New("request timeout")

// explain turns an upstream failure into a sentence that says what happened
// and what to do.
func (c *client) explain(err error, model string) error {
	base := c.ep.BaseURL
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.Is(err, errTimeout):
		return fmt.Errorf("no answer from %s within %s (the request timeout); try again, send a shorter task, or raise -request-timeout", base, c.timeout)
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &apiErr):
		code, msg := apiErr.HTTPStatusCode, apiErr.Message
		switch {
		case code == http.StatusUnauthorized || code == http.StatusForbidden:
			return fmt.Errorf("the endpoint %s refused the API key (HTTP %d): %s; check OPENAI_API_KEY", base, code, msg)
		case code == http.StatusNotFound:
			return fmt.Errorf("the endpoint %s has no model %q (HTTP 404): %s; name another model, or set OPENAI_MODEL", base, model, msg)
		case code == http.StatusTooManyRequests:
			return fmt.Errorf("the endpoint %s is rate limiting (HTTP 429): %s; wait a little and try again, or send fewer requests at once", base, msg)
		case code >= 500:
			return fmt.Errorf("the endpoint %s failed (HTTP %d): %s; try again later", base, code, msg)
		}
		return fmt.Errorf("the endpoint %s refused the request (HTTP %d): %s", base, code, msg)
	case errors.As(err, &reqErr):
		return fmt.Errorf("the endpoint %s answered HTTP %d, not a chat completion: %v", base, reqErr.HTTPStatusCode, reqErr.Err)
	}
	return fmt.Errorf("reaching %s: %w", base, err)
}
