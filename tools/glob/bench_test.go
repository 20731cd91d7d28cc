package glob

import (
	"context"
	"os/exec"
	"testing"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// BenchmarkFind times Find beside find(1) on the Go source tree, for the
// same set of files, and reports the ratio as x-find (the target is at
// most 2). find only prints names while Find also reads each match's size,
// time and mode and sorts them, so find is given -printf with the same
// fields to do the same work. GlobTool runs without roots, GlobTool-root
// confined to the tree, where it reads through an os.Root.
func BenchmarkFind(b *testing.B) {
	tree := tooltest.GoSrc(b)
	free, err := toolkit.NewPolicy(nil)
	if err != nil {
		b.Fatal(err)
	}
	confined, err := toolkit.NewPolicy([]string{tree})
	if err != nil {
		b.Fatal(err)
	}
	glob := func(pattern string, policy *toolkit.Policy) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				m, err := Find(context.Background(), tree, pattern, "", policy)
				if err != nil || len(m) == 0 {
					b.Fatalf("Find = %d matches, %v", len(m), err)
				}
			}
		}
	}
	for _, bc := range []struct {
		name, pattern string
		find          []string
	}{
		{"deep", "**/*_test.go", []string{"-name", "*_test.go"}},
		{"prefix", "net/**/*.go", []string{"-path", "*/src/net/*", "-name", "*.go"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tooltest.Versus(b, "x-find", tooltest.Bench{Name: "find", Run: func(b *testing.B) {
				find, err := exec.LookPath("find")
				if err != nil {
					b.Skip("find not installed: no ratio to report")
				}
				args := append(append([]string{tree, "-type", "f"}, bc.find...), "-printf", "%T@ %m %s %p\n")
				for b.Loop() {
					if err := exec.Command(find, args...).Run(); err != nil {
						b.Fatal(err)
					}
				}
			}},
				tooltest.Bench{Name: "GlobTool", Run: glob(bc.pattern, free)},
				tooltest.Bench{Name: "GlobTool-root", Run: glob(bc.pattern, confined)})
		})
	}
}
