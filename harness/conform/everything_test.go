package conform

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/owulveryck/gomcptest/fakes/mcpservers/everything"
	"github.com/owulveryck/gomcptest/harness/target"
)

// TestEverything runs the checker on the everything fixture over HTTP,
// calling its tools, once declaring no client capability (its sampling
// and elicitation tools must then not ask) and once declaring them all:
// no MUST check fails. http-origin is left out: the fixture does not
// refuse a foreign Origin, a finding of its own.
func TestEverything(t *testing.T) {
	for _, caps := range [][]string{nil, ClientCapabilities()} {
		t.Run(fmt.Sprint(caps), func(t *testing.T) {
			srv := httptest.NewServer(everything.Handler(everything.New(nil), nil))
			t.Cleanup(func() {
				srv.CloseClientConnections()
				srv.Close()
			})
			rep, err := Check(t.Context(), target.Target{URL: srv.URL + everything.Path}, &Options{CallTools: true, ClientCaps: caps, Skip: []string{"http-origin"}, Timeout: time.Second, Samples: 1})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed() {
				t.Errorf("the everything fixture fails a MUST check:\n%s", summary(rep))
			}
		})
	}
}
