package view

import (
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// TestViewRacingSymlinks reads a file, and a file in a folder, while each
// is swapped for a symlink that leads out of the root, and checks that no
// answer ever shows what is outside: checking the path, then opening it by
// name, would follow a link swapped in between.
func TestViewRacingSymlinks(t *testing.T) {
	tr := tooltest.NewTrap(t)
	s := mcp.NewServer(&mcp.Implementation{Name: "View", Version: "v0"}, nil)
	Register(s, &Options{Policy: tr.Policy(t)})
	cs := tooltest.Connect(t, s, nil)
	tr.Attack(t, 1500, func(i int) string {
		path := tr.File
		if i%2 == 1 {
			path = tr.Dir + "/target.txt"
		}
		return tooltest.Text(t, tooltest.Call(t, cs, "View", map[string]any{"file_path": path}))
	})
}

// TestViewRefusesSpecialFiles checks that View refuses what is not a
// regular file, at once: opening a FIFO would wait for a writer, and
// reading a device might never end.
func TestViewRefusesSpecialFiles(t *testing.T) {
	s := mcp.NewServer(&mcp.Implementation{Name: "View", Version: "v0"}, nil)
	Register(s, nil)
	cs := tooltest.Connect(t, s, nil)
	for _, sf := range tooltest.SpecialFiles(t) {
		t.Run(sf.Kind, func(t *testing.T) {
			res := tooltest.Call(t, cs, "View", map[string]any{"file_path": sf.Path})
			if got := tooltest.Text(t, res); !res.IsError || !strings.Contains(got, sf.Want) {
				t.Errorf("answer %q (isError %v), want an error saying %q", got, res.IsError, sf.Want)
			}
			sf.Unchanged(t)
		})
	}
}
