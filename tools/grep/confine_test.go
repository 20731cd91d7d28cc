package grep

import (
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// TestSearchRacingSymlinks searches a root while a folder and a file in it
// are swapped for symlinks that lead out of it, and checks that no answer
// ever shows a line or a name from outside: a check of each path followed
// by an open by name would follow a link swapped in between.
func TestSearchRacingSymlinks(t *testing.T) {
	tr := tooltest.NewTrap(t)
	s := mcp.NewServer(&mcp.Implementation{Name: "GrepTool", Version: "v0"}, nil)
	Register(s, &Options{Policy: tr.Policy(t)})
	cs := tooltest.Connect(t, s, nil)
	tr.Attack(t, 1500, func(i int) string {
		path := tr.Root
		if i%2 == 1 {
			path = tr.Dir
		}
		return tooltest.Text(t, tooltest.Call(t, cs, "GrepTool", map[string]any{"pattern": "needle", "path": path}))
	})
}
