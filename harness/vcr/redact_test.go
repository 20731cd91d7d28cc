package vcr_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/harness/vcr"
)

// Every kind of secret a request or an answer may carry stays out of the
// cassette, and the cassette still replays.
func TestRecordRedacts(t *testing.T) {
	secrets := []string{
		"ya29.a0Af-access-token", "1//0gRefreshTokenValue-abcdefghijkl", "AIzaSyB1234567890abcdefghijklmnopqrstu",
		"GOCSPX-clientsecret", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
		"sk-abcdefghijklmnopqrstuvwxyz", "opaque-cookie", "my-project-123", "quota-project",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "sid=opaque-cookie")
		w.Header().Set("Date", "Mon, 01 Jan 2026 00:00:00 GMT")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"name":"projects/my-project-123/locations/europe-west4/x","token":"ya29.a0Af-access-token","jwt":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"}`))
	}))
	defer srv.Close()

	file := filepath.Join(t.TempDir(), "r.yaml")
	rec, err := vcr.New(file, &vcr.Options{Mode: vcr.Record, Secrets: map[string]string{"my-project-123": vcr.Project}})
	require.NoError(t, err)
	req, _ := http.NewRequest("POST", srv.URL+"/v1/projects/my-project-123/locations/europe-west4/m:generateContent?key=AIzaSyB1234567890abcdefghijklmnopqrstu&alt=sse",
		strings.NewReader(`{"refresh":"1//0gRefreshTokenValue-abcdefghijkl","secret":"GOCSPX-clientsecret","openai":"Bearer sk-abcdefghijklmnopqrstuvwxyz","p":"my-project-123"}`))
	req.Header.Set("Authorization", "Bearer ya29.a0Af-access-token")
	req.Header.Set("X-Goog-Api-Key", "AIzaSyB1234567890abcdefghijklmnopqrstu")
	req.Header.Set("X-Goog-User-Project", "quota-project")
	req.Header.Set("Cookie", "sid=opaque-cookie")
	resp, err := rec.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.NoError(t, rec.Close())

	data, err := os.ReadFile(file)
	require.NoError(t, err)
	for _, s := range secrets {
		assert.NotContains(t, string(data), s)
	}
	assert.NotContains(t, string(data), "europe-west4")
	assert.NotContains(t, string(data), "Mon, 01 Jan", "noisy headers are dropped")
	assert.Contains(t, string(data), "/v1/projects/PROJECT/locations/LOCATION/m:generateContent?alt=sse&key=REDACTED")

	// The cassette replays for another project with another key.
	play, err := vcr.New(file, nil)
	require.NoError(t, err)
	req, _ = http.NewRequest("POST", "https://example.invalid/v1/projects/p2/locations/us-east5/m:generateContent?alt=sse&key=other",
		strings.NewReader(`{"refresh":"1//0gOtherRefreshToken-abcdefghijklmn","secret":"GOCSPX-other","openai":"Bearer sk-zyxwvutsrqponmlkjihgfedcba","p":"PROJECT"}`))
	resp, err = play.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}
