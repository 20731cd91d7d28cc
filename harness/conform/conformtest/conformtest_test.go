package conformtest_test

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/harness/conform"
	"github.com/owulveryck/gomcptest/harness/conform/conformtest"
	"github.com/owulveryck/gomcptest/harness/target"
)

func handler() http.Handler {
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return newGreeter() }, nil)
}

var only = conform.Options{Only: []string{"http-*", "lifecycle-initialize", "tools-*"}, CallTools: true}

// With cross-origin protection the go-sdk server passes every check.
func TestProtectedServerPasses(t *testing.T) {
	conformtest.Run(t, target.Handler(http.NewCrossOriginProtection().Handler(handler())), &conformtest.Options{Check: only})
}

// childEnv makes TestUnprotectedServer run: it fails on purpose, so it runs
// in a child go test whose output TestUnprotectedServerFailsHTTPOrigin reads.
const childEnv = "CONFORMTEST_UNPROTECTED"

func TestUnprotectedServer(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by TestUnprotectedServerFailsHTTPOrigin")
	}
	conformtest.Run(t, target.Handler(handler()), &conformtest.Options{Check: only})
}

// Without it, the http-origin subtest fails, with the evidence, and the
// others pass.
func TestUnprotectedServerFailsHTTPOrigin(t *testing.T) {
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestUnprotectedServer$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child test passed:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestUnprotectedServer/http-origin",
		"MUST fail: a foreign Origin is refused",
		"initialize with Origin http://attacker.example: got HTTP 200, want 403",
		"--- PASS: TestUnprotectedServer/lifecycle-initialize",
		"--- PASS: TestUnprotectedServer/tools-call",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the child's output lacks %q:\n%s", want, out)
		}
	}
}

// A baseline turns a known failure into a log line.
func TestBaseline(t *testing.T) {
	rep := conformtest.Run(t, target.Handler(handler()), &conformtest.Options{
		Check:    conform.Options{Only: []string{"http-origin"}},
		Baseline: []string{"http-origin"},
	})
	if r := rep.Result("http-origin"); r == nil || r.Status != conform.Fail {
		t.Errorf("http-origin: %+v, want a failure (forgiven by the baseline)", r)
	}
}

// A server built in process is checked over stdio framing, with every
// check that applies to stdio, and the go-sdk passes them.
func TestInProcessServerPasses(t *testing.T) {
	rep := conformtest.Run(t, target.Server(newGreeter), &conformtest.Options{Check: conform.Options{CallTools: true}})
	if r := rep.Result("stdio-purity"); r == nil || r.Status != conform.Pass {
		t.Errorf("stdio-purity: %+v, want a pass: the stdio checks apply in process", r)
	}
}
