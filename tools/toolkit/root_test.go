package toolkit

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestPolicyOpen checks that Open allows and refuses what Resolve does,
// and names the resolved path in the root that holds it.
func TestPolicyOpen(t *testing.T) {
	tmp := tree(t)
	root := filepath.Join(tmp, "root")
	p, err := NewPolicy([]string{tmp + "/rootx", root})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		root, root + "/sub/file", root + "/sub/new.txt", root + "/inside/file",
		tmp + "/rootx/file", "sub/file", root + "/out/secret", root + "/escape", root + "/dangling",
	} {
		want, wantErr := p.Resolve(path)
		r, name, err := p.Open(path)
		if wantErr != nil {
			if err == nil || err.Error() != wantErr.Error() {
				t.Errorf("Open(%q) error = %v, want Resolve's %v", path, err, wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Open(%q): %v", path, err)
			continue
		}
		if got := r.Path(name); got != want || !r.Confined() || !within(r.Dir(), got) {
			t.Errorf("Open(%q) = root %s, name %q; want a confined root holding %s", path, r.Dir(), name, want)
		}
		r.Close()
	}
}

func TestPolicyOpenUnconfined(t *testing.T) {
	var p *Policy
	r, name, err := p.Open("/etc/../etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Confined() || r.Dir() != "/" || name != "etc/passwd" {
		t.Errorf("Open = root %s (confined %v), name %q; want /, unconfined, etc/passwd", r.Dir(), r.Confined(), name)
	}
	if _, _, err := p.Open("etc/passwd"); !errors.Is(err, ErrRelativePath) {
		t.Errorf("Open of a relative path: error %v, want ErrRelativePath", err)
	}
}

// TestRootStaysInside swaps a folder for a symlink that leads out after
// the policy allowed a path in it: the Root then refuses the path rather
// than follow the link, while an unconfined Root follows it.
func TestRootStaysInside(t *testing.T) {
	tmp := tree(t)
	root := filepath.Join(tmp, "root")
	p, err := NewPolicy([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	r, name, err := p.Open(root + "/sub/secret")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := os.Rename(root+"/sub", root+"/sub.old"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(tmp+"/outside", root+"/sub"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root + "/sub/secret"); err != nil {
		t.Fatalf("the swapped-in link does not lead to the secret: %v", err)
	}
	if f, err := r.Open(name); err == nil {
		f.Close()
		t.Errorf("Open(%q) through the root followed a link out of it", name)
	}
	if _, err := r.Stat(name); err == nil {
		t.Errorf("Stat(%q) through the root followed a link out of it", name)
	}
	if _, err := r.ReadFile(name); err == nil {
		t.Errorf("ReadFile(%q) through the root followed a link out of it", name)
	}
	if _, err := r.ReadDir("sub"); err == nil {
		t.Error("ReadDir(sub) through the root followed a link out of it")
	}
	if _, err := r.Sub("sub"); err == nil {
		t.Error("Sub(sub) through the root followed a link out of it")
	}
	if _, err := fs.ReadFile(r.FS(), "sub/secret"); err == nil {
		t.Error("the root's FS followed a link out of it")
	}
}

func TestOpenRegular(t *testing.T) {
	tmp := tree(t)
	if err := syscall.Mkfifo(tmp+"/root/fifo", 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := NewPolicy([]string{tmp + "/root"})
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := p.Open(tmp + "/root")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tests := []struct {
		name    string
		wantErr error
		mode    fs.FileMode // of the FileInfo returned
	}{
		{"sub/file", nil, 0},
		{"inside/file", nil, 0},
		{"fifo", ErrNotRegular, fs.ModeNamedPipe},
		{"sub", ErrNotRegular, fs.ModeDir},
		{"missing", fs.ErrNotExist, 0},
	}
	for _, tt := range tests {
		f, info, err := r.OpenRegular(tt.name)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("OpenRegular(%q) error = %v, want %v", tt.name, err, tt.wantErr)
		}
		if f != nil {
			f.Close()
		}
		if info != nil && info.Mode().Type() != tt.mode {
			t.Errorf("OpenRegular(%q) describes a %v, want %v", tt.name, info.Mode().Type(), tt.mode)
		}
	}
}

func TestRootFollow(t *testing.T) {
	tmp := tree(t)
	root := filepath.Join(tmp, "root")
	if err := os.Symlink(root+"/sub/file", root+"/abs"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(tmp+"/rootx/file", root+"/other"); err != nil {
		t.Fatal(err)
	}
	p, err := NewPolicy([]string{root, tmp + "/rootx"})
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := p.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for link, want := range map[string]string{"inside/file": "sub/file", "abs": "sub/file"} {
		if got, info, err := r.Follow(link); err != nil || got != want || !info.Mode().IsRegular() {
			t.Errorf("Follow(%q) = %q, %v, %v; want %q, a regular file", link, got, info, err, want)
		}
	}
	for _, link := range []string{"escape", "out/secret", "other"} {
		if got, _, err := r.Follow(link); !errors.Is(err, ErrOutsideRoots) {
			t.Errorf("Follow(%q) = %q, %v; want ErrOutsideRoots", link, got, err)
		}
	}
}
