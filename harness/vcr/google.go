package vcr

import (
	"context"
	"fmt"
	"net/http"

	"cloud.google.com/go/auth/credentials"
	"cloud.google.com/go/auth/httptransport"
)

// GoogleTransport returns a transport that authenticates to Google Cloud
// with Application Default Credentials, as genai does for Vertex AI by
// itself: give it as Options.Transport to record Vertex AI traffic, so
// that the recorder sits above the credentials.
func GoogleTransport(ctx context.Context) (http.RoundTripper, error) {
	creds, err := credentials.DetectDefault(&credentials.DetectOptions{
		Scopes: []string{"https://www.googleapis.com/auth/cloud-platform"},
	})
	if err != nil {
		return nil, fmt.Errorf("finding Application Default Credentials (gcloud auth application-default login): %w", err)
	}
	h := http.Header{}
	if quota, err := creds.QuotaProjectID(ctx); err == nil && quota != "" {
		h.Set("X-Goog-User-Project", quota)
	}
	client, err := httptransport.NewClient(&httptransport.Options{Credentials: creds, Headers: h})
	if err != nil {
		return nil, fmt.Errorf("authenticating to Google Cloud: %w", err)
	}
	return client.Transport, nil
}
