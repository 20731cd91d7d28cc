package glob

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// TestFindSymlinkedPrefix checks that a pattern whose fixed prefix goes
// through a symlink to a directory outside the root lists nothing there:
// the walk must not start beyond the link.
func TestFindSymlinkedPrefix(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root, outside := filepath.Join(tmp, "root"), filepath.Join(tmp, "outside")
	for _, dir := range []string{root, filepath.Join(outside, "sub")} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(outside, "sub", "secret.go"), []byte("package secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		t.Fatal(err)
	}
	policy, err := toolkit.NewPolicy([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"out/sub/*.go", "out/sub/**", "out/*/*.go", "out/**/*.go"} {
		matches, err := Find(context.Background(), root, pattern, "", policy)
		if err != nil {
			t.Fatalf("Find(%q): %v", pattern, err)
		}
		if len(matches) > 0 {
			t.Errorf("Find(%q) = %v, want nothing: out is a symlink that leaves the root", pattern, matches)
		}
	}
}
