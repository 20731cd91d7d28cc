package toolbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestStreamableHTTP(t *testing.T) {
	srv := newTestServer("web", 5, false)
	ts := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
	t.Cleanup(ts.Close)

	specs, err := ParseSpec(ts.URL + "/mcp")
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := newTestToolbox(t, nil, specs...)
	if n := len(tb.Tools()); n != 11 {
		t.Errorf("%d tools, want 11: %v", n, names(tb.Tools()))
	}
	tool, ok := tb.Tool("echo")
	if !ok || tool.Server != "_127_0_0_1" {
		t.Errorf("Tool(echo) = %+v, %v", tool, ok)
	}
	if got := callText(t, tb, "echo", `{"text":"over http"}`); got != "web:over http" {
		t.Errorf("echo answered %q", got)
	}
	if !strings.HasPrefix(ts.URL, "http://127.0.0.1:") {
		t.Errorf("test server is not on loopback: %s", ts.URL)
	}
}

func TestStreamableHTTPBearerToken(t *testing.T) {
	srv := newTestServer("web", 1, false)
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)

	specs, err := ParseSpec("WEB_TOKEN " + ts.URL + "/mcp")
	if err != nil {
		t.Fatal(err)
	}
	environ := func() []string { return []string{"WEB_TOKEN=s3cret"} }
	tb, _ := newTestToolbox(t, &Options{Environ: environ}, specs...)
	if got := callText(t, tb, "echo", `{"text":"with a token"}`); got != "web:with a token" {
		t.Errorf("echo answered %q", got)
	}

	// Without the variable, New says which one is missing.
	_, err = New(t.Context(), specs, &Options{Environ: func() []string { return nil }})
	if err == nil || !strings.Contains(err.Error(), "WEB_TOKEN") {
		t.Errorf("New without the token: %v, want an error naming WEB_TOKEN", err)
	}
}
