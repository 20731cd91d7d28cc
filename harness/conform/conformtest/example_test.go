package conformtest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/harness/conform"
	"github.com/owulveryck/gomcptest/harness/conform/conformtest"
	"github.com/owulveryck/gomcptest/harness/target"
)

type greetIn struct {
	Name string `json:"name" jsonschema:"who to greet"`
}

// newGreeter is the server under test: one tool, greet.
func newGreeter() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "greeter", Version: "v1.0.0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "greet", Description: "Greets someone."},
		func(_ context.Context, _ *mcp.CallToolRequest, in greetIn) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "Hello, " + in.Name}}}, nil, nil
		})
	return s
}

// In a test, Run takes the test's t:
//
//	func TestGreeterConforms(t *testing.T) {
//		conformtest.Run(t, target.Server(newGreeter), nil)
//	}
//
// Here a printer stands for t, and prints each subtest as go test -v
// would.
func ExampleRun() {
	rep := conformtest.Run(printer{new([]string)}, target.Server(newGreeter), &conformtest.Options{
		Check: conform.Options{Only: []string{"lifecycle-initialize", "jsonrpc-batch-refused", "tools-list", "tools-call"}, CallTools: true},
	})
	fmt.Println("MUST failures:", rep.Failed())
	// Output:
	// --- PASS: lifecycle-initialize
	// --- PASS: jsonrpc-batch-refused
	// --- PASS: tools-list
	// --- PASS: tools-call
	// MUST failures: false
}

// A handler served without cross-origin protection fails http-origin: a
// web page the user visits could drive it (DNS rebinding).
func ExampleRun_handler() {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return newGreeter() }, nil)
	for _, tgt := range []target.Target{target.Handler(h), target.Handler(http.NewCrossOriginProtection().Handler(h))} {
		conformtest.Run(printer{new([]string)}, tgt, &conformtest.Options{Check: conform.Options{Only: []string{"http-origin"}}})
	}
	// Output:
	// --- FAIL: http-origin
	//     MUST fail: a foreign Origin is refused (403 from 2025-11-25 on) (https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning)
	//       at 2025-11-25: initialize with Origin http://attacker.example: got HTTP 200, want 403
	// --- PASS: http-origin
}

// printer is the part of *testing.T that Run uses, printing instead of
// testing: each subtest's outcome, the headline of its failure and the
// first finding.
type printer struct{ errs *[]string }

func (printer) Helper()                     {}
func (printer) Context() context.Context    { return context.Background() }
func (printer) Logf(string, ...any)         {}
func (printer) Skip(...any)                 {}
func (p printer) Fatalf(f string, a ...any) { p.Errorf(f, a...) }

func (p printer) Errorf(format string, args ...any) {
	lines := strings.Split(fmt.Sprintf(format, args...), "\n")
	*p.errs = append(*p.errs, lines[:min(2, len(lines))]...)
}

func (printer) Run(name string, f func(printer)) bool {
	var errs []string
	f(printer{&errs})
	if len(errs) == 0 {
		fmt.Println("--- PASS: " + name)
		return true
	}
	fmt.Println("--- FAIL: " + name)
	for _, e := range errs {
		fmt.Println("    " + e)
	}
	return false
}
