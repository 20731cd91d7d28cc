package conformtest_test

import (
	"net/http"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/harness/conform/conformtest"
)

// A go-sdk server checked in its own go test: each check a subtest.
func ExampleRun() {
	// In a test file of your server's package:
	_ = func(t *testing.T) {
		h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return newServer() }, nil)
		conformtest.Run(t, conformtest.Handler(t, http.NewCrossOriginProtection().Handler(h)), nil)
	}
	// Output:
}
