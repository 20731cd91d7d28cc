package mcpserver_test

import (
	"testing"

	"github.com/owulveryck/gomcptest/examples/mcpserver"
	"github.com/owulveryck/gomcptest/harness/conform"
	"github.com/owulveryck/gomcptest/harness/conform/conformtest"
	"github.com/owulveryck/gomcptest/harness/target"
)

// Every check of the conformance checker, each a subtest; the tool is
// called with generated arguments, since it changes nothing. Its
// structured result is not mirrored as text (a SHOULD): logged, not failed.
func TestConforms(t *testing.T) {
	conformtest.Run(t, target.Handler(mcpserver.Handler()), &conformtest.Options{
		Check: conform.Options{CallTools: true},
	})
}
