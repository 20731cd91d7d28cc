package ls

import (
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// TestLSRacingSymlinks lists a folder while it is swapped for a symlink
// that leads out of the root, and checks that no answer ever names what is
// outside: checking the path, then reading the folder by name, would follow
// a link swapped in between.
func TestLSRacingSymlinks(t *testing.T) {
	tr := tooltest.NewTrap(t)
	s := mcp.NewServer(&mcp.Implementation{Name: "LS", Version: "v0"}, nil)
	Register(s, &Options{Policy: tr.Policy(t)})
	cs := tooltest.Connect(t, s, nil)
	tr.Attack(t, 1500, func(int) string {
		return tooltest.Text(t, tooltest.Call(t, cs, "LS", map[string]any{"path": tr.Dir}))
	})
}
