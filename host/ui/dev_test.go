package ui

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDevServer(t *testing.T) {
	var sawOrigin []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawOrigin = append(sawOrigin, r.Header.Get("Origin"))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"path":"`+r.URL.Path+`","host":"`+r.Host+`"}`)
	}))
	defer api.Close()
	u, _ := url.Parse(api.URL)
	dev := httptest.NewServer(DevServer(u, slog.New(slog.DiscardHandler)))
	defer dev.Close()

	do := func(method, path, host, origin string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), method, dev.URL+path, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := do("GET", "/ui/", "", "")
	assert.Equal(t, 200, status)
	assert.Contains(t, body, "AgentFlow")

	// The page's own requests reach the API, as the API's own client.
	status, body = do("POST", "/v1/chat/completions", "", dev.URL)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"path":"/v1/chat/completions","host":"`+u.Host+`"`)
	assert.Equal(t, []string{""}, sawOrigin, "the browser's Origin is not forwarded")

	// Another site's page cannot use it, nor can a rebound name.
	status, _ = do("POST", "/v1/chat/completions", "", "https://evil.example")
	assert.Equal(t, http.StatusForbidden, status)
	status, _ = do("GET", "/v1/models", "evil.example", "")
	assert.Equal(t, http.StatusForbidden, status)
	assert.Len(t, sawOrigin, 1, "nothing more reached the API")

	// An API that is down gets a sentence, not a bare error.
	api.Close()
	status, body = do("GET", "/v1/models", "", "")
	assert.Equal(t, http.StatusBadGateway, status)
	assert.Contains(t, body, "did not answer; is it running?")
}
