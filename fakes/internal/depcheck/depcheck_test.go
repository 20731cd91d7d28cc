package depcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// recorder is a testing.TB that keeps what Errorf reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestLightFollowsInternal proves that a heavy import is found behind one
// of the fakes' internal packages, and that light ones pass.
func TestLightFollowsInternal(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		file := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module "+module+"\n")
	write("fakes/x/x.go", `package x

import (
	"fmt"

	_ "`+module+`/fakes/internal/y"
	_ "`+txtar+`"
)
`)
	write("fakes/x/x_test.go", "package x\n\nimport _ \"example.com/testonly\"\n")
	write("fakes/internal/y/y.go", "package y\n\nimport _ \"example.com/heavy\"\n")

	r := &recorder{TB: t}
	Light(r, filepath.Join(root, "fakes", "x"))
	want := []string{filepath.FromSlash("../internal/y/y.go") + " imports example.com/heavy"}
	if !slices.Equal(r.errs, want) {
		t.Errorf("reported %q, want %q", r.errs, want)
	}
}
