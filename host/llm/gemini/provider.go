package gemini

import (
	"context"
	"crypto/rand"
	"errors"
	"iter"
	"log/slog"
	"slices"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm"
)

// Config says which service and models a Provider serves.
type Config struct {
	// Client is built by the caller: for Vertex AI, the Gemini API, or a fake
	// server (host/backend builds it from the environment).
	Client *genai.Client
	// Models are the model ids served, such as "gemini-2.5-flash".
	Models []string
	// OwnedBy is shown as the models' owner in /v1/models.
	OwnedBy string
}

// Options tune a Provider. The zero value (or nil) means defaults.
type Options struct {
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// NewCallID returns a fresh OpenAI-style tool call id for a call Gemini
	// gave no id (one it did keeps Gemini's); it must start with "call_",
	// which marks ids never sent back to Gemini. Nil means
	// "call_" followed by 24 random characters. Tests set it to get stable
	// ids.
	NewCallID func() string
}

// Provider is an llm.Provider backed by Gemini. It is safe for concurrent
// use.
type Provider struct {
	client    *genai.Client
	models    []llm.Model
	log       *slog.Logger
	newCallID func() string
}

var _ llm.Provider = (*Provider)(nil)

// ErrMalformedFunctionCall reports that Gemini produced a function call it
// could not parse (finish reason MALFORMED_FUNCTION_CALL) and a retry of the
// turn failed the same way, or that part of the turn had already been
// streamed.
var ErrMalformedFunctionCall = errors.New("gemini produced a malformed function call")

// NewProvider returns a Provider for cfg. It panics if cfg.Client is nil,
// a programmer error.
func NewProvider(cfg Config, opts *Options) *Provider {
	if cfg.Client == nil {
		panic("gemini.NewProvider: nil Client")
	}
	if opts == nil {
		opts = &Options{}
	}
	p := &Provider{
		client:    cfg.Client,
		log:       opts.Logger,
		newCallID: opts.NewCallID,
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.newCallID == nil {
		p.newCallID = randomCallID
	}
	for _, id := range cfg.Models {
		p.models = append(p.models, llm.Model{ID: id, OwnedBy: cfg.OwnedBy})
	}
	return p
}

// Models lists the configured models.
func (p *Provider) Models() []llm.Model { return slices.Clone(p.models) }

// Stream runs one model turn with streamGenerateContent.
//
// When Gemini answers MALFORMED_FUNCTION_CALL before anything was yielded,
// the turn is retried once; otherwise Stream ends with an error wrapping
// ErrMalformedFunctionCall. Errors from the service are *llm.Error; when ctx
// is cancelled the error is ctx.Err().
func (p *Provider) Stream(ctx context.Context, req *llm.Request) iter.Seq2[*llm.Delta, error] {
	return func(yield func(*llm.Delta, error) bool) {
		contents, config, err := generateRequest(req)
		if err != nil {
			yield(nil, err)
			return
		}
		var spent llm.Usage // tokens of attempts that were retried
		for attempt := 1; ; attempt++ {
			t := &turn{
				newCallID:       p.newCallID,
				includeThoughts: req.Options.IncludeThoughts,
				spent:           spent,
				yield:           yield,
			}
			err := t.run(ctx, p.client.Models.GenerateContentStream(ctx, req.Model, contents, config))
			if errors.Is(err, ErrMalformedFunctionCall) && !t.yielded && attempt == 1 {
				p.log.WarnContext(ctx, "retrying model turn", "model", req.Model, "reason", err)
				spent = t.usage()
				continue
			}
			if err != nil && !errors.Is(err, errStopped) {
				yield(nil, apiError(ctx, req.Model, err))
			}
			return
		}
	}
}

// randomCallID returns "call_" and 26 random base32 characters.
func randomCallID() string { return "call_" + rand.Text() }
