package openaiserver

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"google.golang.org/genai"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/gemini"
)

// offlineOwner is what /v1/models says of the offline model's models.
const offlineOwner = "gomcptest-offline"

// newProvider picks the backend: Vertex AI, the Gemini API, or the offline
// model, which is the fake Gemini server run in-process, reached through
// the same genai client and provider code as the real service.
func newProvider(ctx context.Context, cfg config, logger *slog.Logger) (llm.Provider, error) {
	var (
		b     gemini.Backend
		owner = "google"
	)
	switch {
	case cfg.project != "":
		b = gemini.Backend{Vertex: true, Project: cfg.project, Location: cfg.location}
		logger.Info("model backend: Vertex AI", "project", cfg.project, "location", cfg.location, "models", cfg.models)
	case cfg.apiKey != "":
		b = gemini.Backend{APIKey: cfg.apiKey}
		logger.Info("model backend: Gemini API", "models", cfg.models)
	default:
		fake := fakegemini.New(fakegemini.Offline(), &fakegemini.Options{Logger: logger.With("component", "offline-model")})
		b = gemini.Backend{APIKey: "offline", BaseURL: "http://offline.invalid/", HTTPClient: fake.Client()}
		owner = offlineOwner
		logger.Warn("no Google credentials: serving the built-in offline model; set GCP_PROJECT (with Application Default Credentials) or GEMINI_API_KEY for Gemini",
			"models", cfg.models)
	}
	if cfg.baseURL != "" {
		// An HTTP client of our own keeps genai from reading credentials.
		b.BaseURL, b.HTTPClient = cfg.baseURL, &http.Client{}
		logger.Warn("sending model requests without Google credentials", "base_url", cfg.baseURL)
	}
	client, err := genai.NewClient(ctx, gemini.ClientConfig(b))
	if err != nil {
		return nil, fmt.Errorf("connecting to Gemini: %w", err)
	}
	return gemini.NewProvider(gemini.Config{Client: client, Models: cfg.models, OwnedBy: owner}, &gemini.Options{Logger: logger}), nil
}
