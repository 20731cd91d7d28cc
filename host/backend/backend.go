// Package backend picks the model service from the environment, as every
// gomcptest program that talks to Gemini does (openaiserver, dispatch_agent,
// the image tools): Vertex AI, the Gemini API, or the built-in offline model.
//
// The offline model is the fake Gemini server run in-process behind the same
// genai client as the real services, so the code above it cannot tell.
package backend

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"google.golang.org/genai"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/host/llm/gemini"
)

// OfflineOwner is the owned_by of the offline model's models.
const OfflineOwner = "gomcptest-offline"

// DefaultModels are served when GEMINI_MODELS is not set.
const DefaultModels = "gemini-2.5-flash,gemini-2.5-pro"

// Kind names a backend.
type Kind string

// The backends.
const (
	Vertex    Kind = "Vertex AI"
	GeminiAPI Kind = "Gemini API"
	Offline   Kind = "offline model"
)

// Config says which service to use and how.
type Config struct {
	// Project and Location select Vertex AI (with Application Default
	// Credentials) when Project is set.
	Project, Location string
	// APIKey selects the Gemini API when Project is empty.
	APIKey string
	// BaseURL, when set, receives the requests, sent without Google
	// credentials: for fakes, recorders and proxies that authenticate.
	BaseURL string
	// Models are the model ids served.
	Models []string
	// HTTPClient, when set, sends every request (and genai then reads no
	// credentials): the seam for recording and replaying traffic.
	HTTPClient *http.Client
}

// Environment lists the variables FromEnv reads, for help texts.
const Environment = `  GCP_PROJECT (or GOOGLE_CLOUD_PROJECT)   Vertex AI project; with Application Default
                                          Credentials (gcloud auth application-default login)
  GCP_REGION (or GOOGLE_CLOUD_LOCATION)   Vertex AI region (default us-central1)
  GEMINI_API_KEY (or GOOGLE_API_KEY)      the Gemini API, when no project is set
  GEMINI_MODELS                           models (default gemini-2.5-flash,gemini-2.5-pro)
  MODEL_BASE_URL                          send model requests there instead, without
                                          Google credentials (fakegemini, a recorder)
  With neither a project nor a key: the built-in offline model.
`

// FromEnv reads the configuration from the environment.
func FromEnv(getenv func(string) string) (Config, error) {
	env := func(names ...string) string {
		for _, n := range names {
			if v := strings.TrimSpace(getenv(n)); v != "" {
				return v
			}
		}
		return ""
	}
	c := Config{
		Project:  env("GCP_PROJECT", "GOOGLE_CLOUD_PROJECT"),
		Location: env("GCP_REGION", "GOOGLE_CLOUD_LOCATION"),
		APIKey:   env("GEMINI_API_KEY", "GOOGLE_API_KEY"),
		BaseURL:  env("MODEL_BASE_URL"),
	}
	if c.Location == "" {
		c.Location = "us-central1"
	}
	models := env("GEMINI_MODELS")
	if models == "" {
		models = DefaultModels
	}
	for m := range strings.SplitSeq(models, ",") {
		if m = strings.TrimSpace(m); m != "" {
			c.Models = append(c.Models, m)
		}
	}
	if c.BaseURL != "" && c.Project == "" && c.APIKey == "" {
		return c, fmt.Errorf("MODEL_BASE_URL needs GCP_PROJECT (to send Vertex AI requests) or GEMINI_API_KEY (Gemini API requests)")
	}
	return c, nil
}

// Kind is the backend c selects.
func (c Config) Kind() Kind {
	switch {
	case c.Project != "":
		return Vertex
	case c.APIKey != "":
		return GeminiAPI
	}
	return Offline
}

// GenaiConfig returns the genai configuration of c, ready for
// genai.NewClient: Vertex AI with c's project and location, or the Gemini
// API with its key. With Vertex AI and no HTTPClient, genai.NewClient reads
// Application Default Credentials; an HTTPClient must authenticate its
// requests itself. genai still reads its own environment variables
// (GOOGLE_API_KEY, GOOGLE_CLOUD_PROJECT, ...) for fields c leaves empty.
func (c Config) GenaiConfig() *genai.ClientConfig {
	cc := &genai.ClientConfig{
		Backend:     genai.BackendGeminiAPI,
		APIKey:      c.APIKey,
		HTTPClient:  c.HTTPClient,
		HTTPOptions: genai.HTTPOptions{BaseURL: c.BaseURL},
	}
	if c.Kind() == Vertex {
		cc.Backend, cc.Project, cc.Location, cc.APIKey = genai.BackendVertexAI, c.Project, c.Location, ""
	}
	return cc
}

// Client returns a genai client for c, logging which backend it is: for
// the offline model, one whose requests go to the in-process fake.
func Client(ctx context.Context, c Config, logger *slog.Logger) (*genai.Client, error) {
	switch c.Kind() {
	case Vertex:
		logger.Info("model backend: Vertex AI", "project", c.Project, "location", c.Location, "models", c.Models)
	case GeminiAPI:
		logger.Info("model backend: Gemini API", "models", c.Models)
	default:
		fake := fakegemini.New(fakegemini.Offline(), &fakegemini.Options{Logger: logger.With("component", "offline-model")})
		c.APIKey, c.BaseURL, c.HTTPClient = "offline", "http://offline.invalid/", fake.Client()
		logger.Warn("no Google credentials: serving the built-in offline model; set GCP_PROJECT (with Application Default Credentials) or GEMINI_API_KEY for Gemini",
			"models", c.Models)
	}
	if c.BaseURL != "" && c.HTTPClient == nil {
		// An HTTP client of our own keeps genai from reading credentials.
		c.HTTPClient = &http.Client{}
		logger.Warn("sending model requests without Google credentials", "base_url", c.BaseURL)
	}
	client, err := genai.NewClient(ctx, c.GenaiConfig())
	if err != nil {
		return nil, fmt.Errorf("connecting to Gemini: %w", err)
	}
	return client, nil
}

// Provider returns the Gemini provider for c.
func Provider(ctx context.Context, c Config, logger *slog.Logger) (*gemini.Provider, error) {
	client, err := Client(ctx, c, logger)
	if err != nil {
		return nil, err
	}
	owner := "google"
	if c.Kind() == Offline {
		owner = OfflineOwner
	}
	return gemini.NewProvider(gemini.Config{Client: client, Models: c.Models, OwnedBy: owner}, &gemini.Options{Logger: logger}), nil
}
