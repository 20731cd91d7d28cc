package backend_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/backend"
)

// With an HTTPClient, a Vertex client must not look for Application Default
// Credentials: replay and tests run on machines that have none.
func TestGenaiConfigWithHTTPClientSkipsADC(t *testing.T) {
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", filepath.Join(t.TempDir(), "missing.json"))
	for _, v := range []string{"GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_VERTEX_BASE_URL"} {
		t.Setenv(v, "")
	}
	c := backend.Config{Project: "p", Location: "us-central1"}

	// Without a client genai reads the (missing) credentials, so the check
	// below is meaningful.
	if _, err := genai.NewClient(context.Background(), c.GenaiConfig()); err == nil {
		t.Fatal("genai did not consult the credentials file")
	}

	c.HTTPClient = &http.Client{}
	client, err := genai.NewClient(context.Background(), c.GenaiConfig())
	if err != nil {
		t.Fatalf("NewClient with an HTTPClient: %v", err)
	}
	if cc := client.ClientConfig(); cc.Backend != genai.BackendVertexAI || cc.Project != "p" || cc.Location != "us-central1" || cc.Credentials != nil {
		t.Errorf("client config %+v", cc)
	}
}

func TestGenaiConfigGeminiAPI(t *testing.T) {
	cc := backend.Config{APIKey: "k", BaseURL: "http://127.0.0.1:9"}.GenaiConfig()
	if cc.Backend != genai.BackendGeminiAPI || cc.APIKey != "k" || cc.HTTPOptions.BaseURL != "http://127.0.0.1:9" || cc.Project != "" {
		t.Errorf("client config %+v", cc)
	}
}
