package toolkit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree builds, under a temporary directory:
//
//	root/sub/file
//	root/inside -> root/sub        (a symlink that stays inside)
//	root/out -> outside            (a directory symlink that leaves)
//	root/escape -> outside/secret  (a file symlink that leaves)
//	root/dangling -> outside/new   (a symlink to a file not yet created)
//	outside/secret
//	rootx/file                     (shares a prefix with root)
func tree(t *testing.T) (tmp string) {
	t.Helper()
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"root/sub", "outside", "rootx"} {
		if err := os.MkdirAll(filepath.Join(tmp, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, file := range []string{"root/sub/file", "outside/secret", "rootx/file"} {
		if err := os.WriteFile(filepath.Join(tmp, file), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"root/inside":   "sub",
		"root/out":      filepath.Join(tmp, "outside"),
		"root/escape":   "../outside/secret",
		"root/dangling": filepath.Join(tmp, "outside/new"),
	}
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(tmp, link)); err != nil {
			t.Fatal(err)
		}
	}
	return tmp
}

func TestPolicyResolve(t *testing.T) {
	tmp := tree(t)
	root := filepath.Join(tmp, "root")
	p, err := NewPolicy([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		want    string // resolved path, when allowed
		wantErr error
	}{
		{"root itself", root, root, nil},
		{"existing file", root + "/sub/file", root + "/sub/file", nil},
		{"new file", root + "/sub/new.txt", root + "/sub/new.txt", nil},
		{"new file in new dirs", root + "/a/b/c.txt", root + "/a/b/c.txt", nil},
		{"dot segments inside", root + "/sub/./../sub/file", root + "/sub/file", nil},
		{"symlink inside", root + "/inside/file", root + "/sub/file", nil},
		{"relative", "sub/file", "", ErrRelativePath},
		{"dot", ".", "", ErrRelativePath},
		{"empty", "", "", ErrRelativePath},
		{"parent escape", root + "/../outside/secret", "", ErrOutsideRoots},
		{"absolute outside", "/etc/passwd", "", ErrOutsideRoots},
		{"shared prefix", tmp + "/rootx/file", "", ErrOutsideRoots},
		{"dir symlink out", root + "/out/secret", "", ErrOutsideRoots},
		{"new file via dir symlink out", root + "/out/new/file", "", ErrOutsideRoots},
		{"file symlink out", root + "/escape", "", ErrOutsideRoots},
		{"dangling symlink out", root + "/dangling", "", ErrOutsideRoots},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Resolve(tt.path)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Resolve(%q) error = %v, want %v", tt.path, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Resolve(%q) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

// TestPolicyMessages checks that errors tell the model what to do.
func TestPolicyMessages(t *testing.T) {
	tmp := tree(t)
	root := filepath.Join(tmp, "root")
	p, err := NewPolicy([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Resolve("sub/file")
	if msg := err.Error(); !strings.Contains(msg, "absolute path such as "+root+"/sub/file") {
		t.Errorf("relative path error %q does not suggest the absolute path", msg)
	}
	_, err = p.Resolve(root + "/escape")
	for _, want := range []string{root + "/escape", "resolves to " + tmp + "/outside/secret", "allowed roots: " + root} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("outside error %q does not contain %q", err, want)
		}
	}
}

func TestPolicyUnconfined(t *testing.T) {
	p, err := NewPolicy(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Confined() {
		t.Error("a policy without roots says it is confined")
	}
	if got, err := p.Resolve("/etc/../etc/passwd"); err != nil || got != "/etc/passwd" {
		t.Errorf("Resolve = %q, %v; want /etc/passwd, nil", got, err)
	}
	if _, err := p.Resolve("etc/passwd"); !errors.Is(err, ErrRelativePath) {
		t.Errorf("relative path: error = %v, want ErrRelativePath", err)
	}
}

func TestNewPolicyRejectsBadRoots(t *testing.T) {
	tmp := tree(t)
	for _, root := range []string{tmp + "/missing", tmp + "/outside/secret"} {
		if _, err := NewPolicy([]string{root}); err == nil {
			t.Errorf("NewPolicy(%q) succeeded, want an error", root)
		}
	}
}

func TestNewPolicyResolvesRootSymlinks(t *testing.T) {
	tmp := tree(t)
	p, err := NewPolicy([]string{tmp + "/root/out"}) // a symlink to outside
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.Resolve(tmp + "/outside/secret"); err != nil || got != tmp+"/outside/secret" {
		t.Errorf("Resolve = %q, %v; want the file under the symlinked root", got, err)
	}
}

func TestNilPolicyConfinesNothing(t *testing.T) {
	var p *Policy
	if p.Confined() || p.Roots() != nil {
		t.Errorf("a nil policy has roots %v", p.Roots())
	}
	if got, err := p.Resolve("/a/../b"); err != nil || got != "/b" {
		t.Errorf(`Resolve("/a/../b") = %q, %v; want "/b"`, got, err)
	}
	if _, err := p.Resolve("rel"); !errors.Is(err, ErrRelativePath) {
		t.Errorf(`Resolve("rel") = %v, want ErrRelativePath`, err)
	}
}
