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
