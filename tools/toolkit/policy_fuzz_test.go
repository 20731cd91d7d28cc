package toolkit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzPolicyResolve checks the promise of Resolve on any input: it never
// panics, and a path it allows lies inside the root once every symlink is
// resolved, so that using it cannot touch anything outside; and Open
// allows the same paths, giving the same file in that root. The tree holds
// links that stay inside, links that lead out (to a directory, to a file,
// dangling) and a sibling that shares the root's name as a prefix.
func FuzzPolicyResolve(f *testing.F) {
	tmp, err := filepath.EvalSymlinks(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	root := filepath.Join(tmp, "root")
	for _, dir := range []string{"root/sub/deep", "outside/dir", "rootx"} {
		if err := os.MkdirAll(filepath.Join(tmp, dir), 0o755); err != nil {
			f.Fatal(err)
		}
	}
	for _, file := range []string{"root/sub/file", "outside/secret", "rootx/file"} {
		if err := os.WriteFile(filepath.Join(tmp, file), []byte("x"), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	links := map[string]string{
		"root/inside":       "sub",
		"root/sub/up":       "..",
		"root/out":          filepath.Join(tmp, "outside"),
		"root/sub/relout":   "../../outside/dir",
		"root/escape":       "../outside/secret",
		"root/dangling":     filepath.Join(tmp, "outside/new"),
		"root/loop":         "loop",
		"root/chain":        "inside/up/out",
		"root/sub/deep/top": "/",
	}
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(tmp, link)); err != nil {
			f.Fatal(err)
		}
	}
	p, err := NewPolicy([]string{root})
	if err != nil {
		f.Fatal(err)
	}

	for _, seed := range []string{
		"", ".", "/", "relative/path", "../root",
		"/root", "/etc/passwd", "/..", "//", "/./.",
		"$ROOT", "$ROOT/", "$ROOT/sub/file", "$ROOT/new/file.txt",
		"$ROOT/../outside/secret", "$ROOT/sub/../../outside",
		"$ROOT/inside/file", "$ROOT/inside/../escape",
		"$ROOT/out", "$ROOT/out/secret", "$ROOT/out/new/file",
		"$ROOT/sub/relout/x", "$ROOT/escape", "$ROOT/dangling",
		"$ROOT/loop", "$ROOT/loop/x", "$ROOT/chain", "$ROOT/chain/secret",
		"$ROOT/sub/up/sub/up/inside", "$ROOT/sub/deep/top/etc/passwd",
		"$TMP/rootx/file", "$TMP/root\x00/x", "$ROOT/a\nb", "$ROOT///sub//file",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, path string) {
		path = strings.NewReplacer("$ROOT", root, "$TMP", tmp).Replace(path)
		got, err := p.Resolve(path)
		r, name, openErr := p.Open(path)
		if (err == nil) != (openErr == nil) {
			t.Fatalf("Resolve(%q) error = %v but Open error = %v; want both to allow or refuse", path, err, openErr)
		}
		if openErr == nil {
			defer r.Close()
			if r.Dir() != root || r.Path(name) != got {
				t.Errorf("Open(%q) = root %s, name %q; want root %s holding %s", path, r.Dir(), name, root, got)
			}
		}
		if err != nil {
			if got != "" {
				t.Errorf("Resolve(%q) = %q with error %v; want no path with an error", path, got, err)
			}
			if !filepath.IsAbs(path) && !errors.Is(err, ErrRelativePath) {
				t.Errorf("Resolve(%q) error = %v, want ErrRelativePath", path, err)
			}
			return
		}
		if !filepath.IsAbs(path) {
			t.Fatalf("Resolve(%q) accepted a relative path as %q", path, got)
		}
		if !within(root, got) {
			t.Fatalf("Resolve(%q) = %q, outside the root %s", path, got, root)
		}
		// The returned path must hold no symlink that leads elsewhere:
		// resolving it again gives a path inside the root too.
		real, err := evalExisting(got)
		if err != nil {
			return // e.g. too many links: Resolve was allowed to pass it on
		}
		if !within(root, real) {
			t.Fatalf("Resolve(%q) = %q, which resolves to %q, outside the root %s", path, got, real, root)
		}
	})
}
