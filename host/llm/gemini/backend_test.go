package gemini_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/host/llm/gemini"
)

// With an HTTPClient, a Vertex client must not look for Application Default
// Credentials: replay and tests run on machines that have none.
func TestClientConfigWithHTTPClientSkipsADC(t *testing.T) {
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", filepath.Join(t.TempDir(), "missing.json"))
	for _, v := range []string{"GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION", "GOOGLE_VERTEX_BASE_URL"} {
		t.Setenv(v, "")
	}
	b := gemini.Backend{Vertex: true, Project: "p", Location: "us-central1"}

	// Without a client genai reads the (missing) credentials, so the check
	// below is meaningful.
	if _, err := genai.NewClient(context.Background(), gemini.ClientConfig(b)); err == nil {
		t.Fatal("genai did not consult the credentials file")
	}

	b.HTTPClient = &http.Client{}
	c, err := genai.NewClient(context.Background(), gemini.ClientConfig(b))
	if err != nil {
		t.Fatalf("NewClient with an HTTPClient: %v", err)
	}
	if cc := c.ClientConfig(); cc.Backend != genai.BackendVertexAI || cc.Project != "p" || cc.Location != "us-central1" || cc.Credentials != nil {
		t.Errorf("client config %+v", cc)
	}
}

func TestClientConfigGeminiAPI(t *testing.T) {
	cc := gemini.ClientConfig(gemini.Backend{APIKey: "k", BaseURL: "http://127.0.0.1:9"})
	if cc.Backend != genai.BackendGeminiAPI || cc.APIKey != "k" || cc.HTTPOptions.BaseURL != "http://127.0.0.1:9" || cc.Project != "" {
		t.Errorf("client config %+v", cc)
	}
}
