package replace

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

func connect(t *testing.T, tl *tool) *mcp.ClientSession {
	t.Helper()
	s := mcp.NewServer(&mcp.Implementation{Name: "Replace", Version: "v0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "Replace", Description: description}, tl.replace)
	return tooltest.Connect(t, s, nil)
}

func newTool(t *testing.T, roots ...string) *tool {
	t.Helper()
	p, err := toolkit.NewPolicy(roots)
	if err != nil {
		t.Fatal(err)
	}
	return &tool{policy: p, write: (*toolkit.Root).WriteFileAtomic}
}

func call(t *testing.T, cs *mcp.ClientSession, path, content string) *mcp.CallToolResult {
	t.Helper()
	return tooltest.Call(t, cs, "Replace", map[string]any{"file_path": path, "content": content})
}

func TestReplace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.sh")
	cs := connect(t, newTool(t))

	res := call(t, cs, path, "#!/bin/sh\necho hi")
	if res.IsError || tooltest.Text(t, res) != "Created "+path+": wrote 2 lines (17 bytes)." {
		t.Fatalf("create: %q", tooltest.Text(t, res))
	}
	want := map[string]any{"file_path": path, "created": true, "bytes": 17.0, "lines": 2.0}
	if diff := cmp.Diff(want, res.StructuredContent); diff != "" {
		t.Errorf("structuredContent (-want +got):\n%s", diff)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != newFileMode {
		t.Errorf("new file mode = %v, want %v", info.Mode().Perm(), newFileMode)
	}

	if err := os.Chmod(path, 0o755); err != nil {
		t.Fatal(err)
	}
	res = call(t, cs, path, "#!/bin/sh\necho bye\n")
	if res.IsError || !strings.HasPrefix(tooltest.Text(t, res), "Replaced the content of "+path) {
		t.Fatalf("replace: %q", tooltest.Text(t, res))
	}
	if got, _ := os.ReadFile(path); string(got) != "#!/bin/sh\necho bye\n" {
		t.Errorf("content = %q", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o755 {
		t.Errorf("mode = %v, want 0755 kept", info.Mode().Perm())
	}
}

func TestReplaceRefusals(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "root")
	outside := filepath.Join(tmp, "outside")
	for _, d := range []string{root, outside, root + "/sub"} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	cs := connect(t, newTool(t, root))
	tests := []struct {
		name, path, want string
	}{
		{"relative", "f.txt", "path is relative"},
		{"outside", filepath.Join(outside, "f"), "outside the allowed roots"},
		{"symlinked folder out", filepath.Join(root, "out", "f"), "resolves to " + filepath.Join(outside, "f")},
		{"missing folder", filepath.Join(root, "a", "b", "f"), "folder " + filepath.Join(root, "a", "b") + " does not exist; create it first"},
		{"directory", filepath.Join(root, "sub"), "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, cs, tt.path, "x")
			if !res.IsError || !strings.Contains(tooltest.Text(t, res), tt.want) {
				t.Errorf("answer = %q (isError %v), want an error containing %q", tooltest.Text(t, res), res.IsError, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files appeared outside the root: %v", entries)
	}
	if info, err := os.Stat(filepath.Join(root, "sub")); err != nil || !info.IsDir() {
		t.Error("the directory was replaced")
	}
}

func TestReplaceWriteFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.txt")
	if err := os.WriteFile(path, []byte("before"), 0o644); err != nil {
		t.Fatal(err)
	}
	tl := newTool(t)
	tl.write = func(root *toolkit.Root, name string, _ []byte, _ fs.FileMode) error {
		return errors.New("writing " + root.Path(name) + ": disk quota exceeded")
	}
	res := call(t, connect(t, tl), path, "after")
	if !res.IsError || !strings.Contains(tooltest.Text(t, res), "disk quota exceeded; nothing was written") {
		t.Errorf("answer = %q", tooltest.Text(t, res))
	}
	if got, _ := os.ReadFile(path); string(got) != "before" {
		t.Errorf("content = %q, want it unchanged", got)
	}
}

// TestReplaceRacingSymlinks writes a file, and files in a folder, while
// each is swapped for a symlink that leads out of the root, and checks that
// nothing outside is ever written: checking the path, then writing it by
// name, would follow a link swapped in between.
func TestReplaceRacingSymlinks(t *testing.T) {
	tr := tooltest.NewTrap(t)
	cs := connect(t, newTool(t, tr.Root))
	tr.Attack(t, 1500, func(i int) string {
		path := tr.File
		if i%2 == 1 {
			path = tr.Dir + "/new.txt"
		}
		return tooltest.Text(t, call(t, cs, path, "needle replaced\n"))
	})
}

// TestReplaceRefusesSpecialFiles checks that Replace refuses what is not a
// regular file, rather than putting a regular file in its place.
func TestReplaceRefusesSpecialFiles(t *testing.T) {
	for _, sf := range tooltest.SpecialFiles(t) {
		t.Run(sf.Kind, func(t *testing.T) {
			res := call(t, connect(t, newTool(t)), sf.Path, "x")
			if got := tooltest.Text(t, res); !res.IsError || !strings.Contains(got, sf.Want) {
				t.Errorf("answer %q (isError %v), want an error saying %q", got, res.IsError, sf.Want)
			}
			sf.Unchanged(t)
		})
	}
}
