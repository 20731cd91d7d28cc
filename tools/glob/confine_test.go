package glob

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// TestFindRacingSymlinks lists a root while a folder and a file in it are
// swapped for symlinks that lead out of it, and checks that no answer ever
// names a file outside: a walk that reads a folder by name after seeing it
// as a folder would follow a link swapped in between. The folder c, walked
// between reading the root and reading d, holds empty folders so that time
// passes between the two.
func TestFindRacingSymlinks(t *testing.T) {
	tr := tooltest.NewTrap(t)
	for i := range 100 {
		if err := os.MkdirAll(filepath.Join(tr.Root, "c", fmt.Sprint(i)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "GlobTool", Version: "v0"}, nil)
	Register(s, &Options{Policy: tr.Policy(t)})
	cs := tooltest.Connect(t, s, nil)
	tr.Attack(t, 1500, func(i int) string {
		args := map[string]any{"pattern": "**/*.txt", "path": tr.Root}
		if i%2 == 1 {
			args = map[string]any{"pattern": "*", "path": tr.Dir}
		}
		return tooltest.Text(t, tooltest.Call(t, cs, "GlobTool", args))
	})
}
