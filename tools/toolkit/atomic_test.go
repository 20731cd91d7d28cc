package toolkit

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// openRoot returns dir as a Root, confined or not, and closes it when the
// test ends.
func openRoot(t *testing.T, dir string, confined bool) *Root {
	t.Helper()
	var roots []string
	if confined {
		roots = []string{dir}
	}
	p, err := NewPolicy(roots)
	if err != nil {
		t.Fatal(err)
	}
	root, name, err := p.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	if confined && name != "." {
		t.Fatalf("Open(%s) = name %q, want .", dir, name)
	}
	sub, err := root.Sub(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.Close() })
	return sub
}

func TestWriteFileAtomic(t *testing.T) {
	for _, confined := range []bool{true, false} {
		dir := t.TempDir()
		root := openRoot(t, dir, confined)
		if err := root.WriteFileAtomic("f.txt", []byte("one"), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := root.WriteFileAtomic("f.txt", []byte("two"), 0o751); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "f.txt")
		got, err := os.ReadFile(path)
		if err != nil || string(got) != "two" {
			t.Fatalf("confined=%v: content = %q, %v; want two", confined, got, err)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o751 {
			t.Errorf("confined=%v: mode = %v, want 0751 exactly (no umask)", confined, info.Mode().Perm())
		}
		assertOnly(t, dir, "f.txt")
	}
}

func TestWriteFileAtomicFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	for _, link := range []struct{ name, target string }{
		{"rel", "target"},
		{"abs", filepath.Join(dir, "target")},
		{"chain", "rel"},
	} {
		if err := os.Symlink(link.target, filepath.Join(dir, link.name)); err != nil {
			t.Fatal(err)
		}
	}
	root := openRoot(t, dir, true)
	for _, name := range []string{"rel", "abs", "chain"} {
		if err := os.WriteFile(filepath.Join(dir, "target"), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := root.WriteFileAtomic(name, []byte("new "+name), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "target")); string(got) != "new "+name {
			t.Errorf("writing %s: target = %q, want %q", name, got, "new "+name)
		}
		if info, err := os.Lstat(filepath.Join(dir, name)); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink: %v, %v", name, info, err)
		}
	}
}

// TestWriteFileAtomicFailure writes over a directory, a failure that holds
// even as root, and checks that nothing changed and no temporary file stayed.
func TestWriteFileAtomicFailure(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	root := openRoot(t, dir, true)
	if err := root.WriteFileAtomic("sub", []byte("x"), 0o644); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	if info, err := os.Stat(sub); err != nil || !info.IsDir() {
		t.Errorf("sub is no longer a directory: %v, %v", info, err)
	}
	if err := root.WriteFileAtomic(filepath.Join("missing", "f"), []byte("x"), 0o644); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
	assertOnly(t, dir, "sub")
}

// TestWriteFileAtomicRefuses checks that neither a special file nor a
// symlink that leads out of the root is replaced, and that nothing is
// written outside.
func TestWriteFileAtomicRefuses(t *testing.T) {
	tmp := t.TempDir()
	dir, outside := filepath.Join(tmp, "root"), filepath.Join(tmp, "outside")
	for _, d := range []string{dir, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "f"), filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../outside/f", filepath.Join(dir, "relout")); err != nil {
		t.Fatal(err)
	}
	root := openRoot(t, dir, true)
	if err := root.WriteFileAtomic("fifo", []byte("x"), 0o644); !errors.Is(err, ErrNotRegular) {
		t.Errorf("writing a FIFO: error %v, want ErrNotRegular", err)
	}
	if info, err := os.Lstat(filepath.Join(dir, "fifo")); err != nil || info.Mode().Type() != os.ModeNamedPipe {
		t.Errorf("the FIFO is now %v, %v", info, err)
	}
	for _, name := range []string{"out", "relout"} {
		if err := root.WriteFileAtomic(name, []byte("x"), 0o644); !errors.Is(err, ErrOutsideRoots) {
			t.Errorf("writing %s: error %v, want ErrOutsideRoots", name, err)
		}
	}
	assertOnly(t, outside)
	assertOnly(t, dir, "fifo", "out", "relout")
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(names) {
		t.Fatalf("folder holds %q, want only %q (a temporary file left behind?)", got, names)
	}
	for i := range names {
		if got[i] != names[i] {
			t.Fatalf("folder holds %q, want only %q", got, names)
		}
	}
}
