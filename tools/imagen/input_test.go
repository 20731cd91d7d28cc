package imagen

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// TestInputConfined checks that image_path is read only inside the roots,
// symlinks included, and only when it names a regular file.
func TestInputConfined(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root, outside := filepath.Join(tmp, "root"), filepath.Join(tmp, "outside")
	for _, dir := range []string{root, outside} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	png := fakegemini.Placeholder("input", "")
	for _, p := range []string{filepath.Join(root, "in.png"), filepath.Join(outside, "secret.png")} {
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(outside, "secret.png"), filepath.Join(root, "link.png")); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(root, "fifo.png")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // release a reader left blocked on the FIFO
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	policy, err := toolkit.NewPolicy([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	tl := &tool{opts: Options{Policy: policy}}
	if _, err := tl.input(EditInput{ImagePath: filepath.Join(root, "in.png")}); err != nil {
		t.Errorf("image inside the root: %v", err)
	}
	for path, want := range map[string]string{
		filepath.Join(outside, "secret.png"):       "outside the allowed roots",
		filepath.Join(root, "link.png"):            "outside the allowed roots",
		filepath.Join(root, "..", "outside/x.png"): "outside the allowed roots",
		"in.png": "relative",
		fifo:     "not a regular file",
	} {
		done := make(chan error, 1)
		go func() {
			_, err := tl.input(EditInput{ImagePath: path})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("image_path %s: error %v, want one with %q", path, err, want)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("image_path %s: still reading after 10s", path)
		}
	}
}
