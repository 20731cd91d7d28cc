package ui_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/ui"
)

func get(t *testing.T, h http.Handler, method, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandlerServesFilesWithTheirTypes(t *testing.T) {
	h := ui.Handler()
	tests := []struct {
		path, ctype, contains string
	}{
		{"/ui/", "text/html; charset=utf-8", `<script type="module" src="app.js">`},
		{"/ui/index.html", "text/html; charset=utf-8", "<title>AgentFlow</title>"},
		{"/ui/app.js", "text/javascript; charset=utf-8", "import"},
		{"/ui/markdown.js", "text/javascript; charset=utf-8", "export function render"},
		{"/ui/style.css", "text/css; charset=utf-8", ":root"},
		{"/ui/manifest.webmanifest", "application/manifest+json", `"start_url": "/ui/"`},
		{"/ui/icon.svg", "image/svg+xml", "<svg"},
		{"/ui/apple-touch-icon.png", "image/png", "\x89PNG"},
		{"/ui/icon-192.png", "image/png", "\x89PNG"},
		{"/ui/icon-512.png", "image/png", "\x89PNG"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := get(t, h, http.MethodGet, tt.path, nil)
			require.Equal(t, http.StatusOK, res.StatusCode)
			assert.Equal(t, tt.ctype, res.Header.Get("Content-Type"))
			assert.Equal(t, ui.ContentSecurityPolicy, res.Header.Get("Content-Security-Policy"))
			assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
			body, _ := io.ReadAll(res.Body)
			assert.Contains(t, string(body), tt.contains)
		})
	}
}

func TestContentSecurityPolicyIsStrict(t *testing.T) {
	for _, directive := range []string{
		"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
		"connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
	} {
		assert.Contains(t, ui.ContentSecurityPolicy, directive)
	}
	assert.NotContains(t, ui.ContentSecurityPolicy, "unsafe")
}

func TestHandlerRefusesWhatItDoesNotServe(t *testing.T) {
	h := ui.Handler()
	for _, path := range []string{"/ui/nope.js", "/ui/../ui.go", "/ui/static/app.js", "/app.js", "/ui/e2e/package.json"} {
		res := get(t, h, http.MethodGet, path, nil)
		assert.Equal(t, http.StatusNotFound, res.StatusCode, path)
		assert.NotEmpty(t, res.Header.Get("Content-Security-Policy"), path)
	}
	res := get(t, h, http.MethodPost, "/ui/", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.Equal(t, "GET, HEAD", res.Header.Get("Allow"))
}

func TestHandlerRevalidatesWithETag(t *testing.T) {
	h := ui.Handler()
	res := get(t, h, http.MethodGet, "/ui/app.js", nil)
	etag := res.Header.Get("ETag")
	require.NotEmpty(t, etag)
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	res = get(t, h, http.MethodGet, "/ui/app.js", map[string]string{"If-None-Match": etag})
	assert.Equal(t, http.StatusNotModified, res.StatusCode)
}

// The page must load nothing from other hosts: no absolute URLs in what it
// ships, besides XML namespaces.
func TestAssetsLoadNothingFromOtherHosts(t *testing.T) {
	h := ui.Handler()
	for _, path := range []string{"/ui/", "/ui/app.js", "/ui/api.js", "/ui/markdown.js", "/ui/highlight.js",
		"/ui/store.js", "/ui/conversation.js", "/ui/icons.js", "/ui/style.css", "/ui/manifest.webmanifest", "/ui/icon.svg"} {
		body, _ := io.ReadAll(get(t, h, http.MethodGet, path, nil).Body)
		text := strings.ReplaceAll(string(body), "http://www.w3.org/2000/svg", "")
		for _, bad := range []string{"http://", "https://", "//cdn", "@import", "url(http"} {
			// markdown.js names the schemes it allows in links.
			if path == "/ui/markdown.js" && (bad == "http://" || bad == "https://") {
				continue
			}
			assert.NotContains(t, text, bad, path)
		}
		assert.NotContains(t, text, "innerHTML", path)
		assert.NotContains(t, text, "outerHTML", path)
		assert.NotContains(t, text, "insertAdjacentHTML", path)
	}
}
