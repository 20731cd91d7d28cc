package gemini

import (
	"net/http"

	"google.golang.org/genai"
)

// Backend describes the Gemini service a client talks to.
type Backend struct {
	// Vertex selects Vertex AI; otherwise the Gemini API is used.
	Vertex bool
	// Project and Location name the Vertex AI project and region.
	Project  string
	Location string
	// APIKey authenticates to the Gemini API (or to Vertex AI express mode).
	APIKey string
	// BaseURL replaces the service's URL, to reach a proxy, a fake or a
	// recorder. Empty means the service's default.
	BaseURL string
	// HTTPClient, when set, sends every request. It must authenticate them
	// itself: genai then never reads Application Default Credentials, which
	// is what lets tests and cassette replay run without any.
	HTTPClient *http.Client
}

// ClientConfig returns the genai configuration for b, ready for
// genai.NewClient. With Vertex and no HTTPClient or APIKey, genai.NewClient
// reads Application Default Credentials.
//
// genai still reads its environment variables (GOOGLE_API_KEY,
// GOOGLE_CLOUD_PROJECT, ...) for fields b leaves empty.
func ClientConfig(b Backend) *genai.ClientConfig {
	cc := &genai.ClientConfig{
		Backend:    genai.BackendGeminiAPI,
		APIKey:     b.APIKey,
		HTTPClient: b.HTTPClient,
		HTTPOptions: genai.HTTPOptions{
			BaseURL: b.BaseURL,
		},
	}
	if b.Vertex {
		cc.Backend = genai.BackendVertexAI
		cc.Project = b.Project
		cc.Location = b.Location
	}
	return cc
}
