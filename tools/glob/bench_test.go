package glob

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/owulveryck/gomcptest/tools/internal/toolkit"
)

// BenchmarkFind times Find beside find(1) on the Go source tree, for the
// same set of files, and reports the ratio as x-find (the target is at
// most 2). find only prints names while Find also reads each match's size,
// time and mode and sorts them, so find is given -printf with the same
// fields to do the same work.
func BenchmarkFind(b *testing.B) {
	tree := filepath.Join(runtime.GOROOT(), "src")
	if _, err := os.Stat(tree); err != nil {
		b.Skipf("no Go source tree at %s: %v", tree, err)
	}
	policy, err := toolkit.NewPolicy(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name, pattern string
		find          []string
	}{
		{"deep", "**/*_test.go", []string{"-name", "*_test.go"}},
		{"prefix", "net/**/*.go", []string{"-path", "*/src/net/*", "-name", "*.go"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var findPerOp time.Duration
			b.Run("find", func(b *testing.B) {
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
				findPerOp = b.Elapsed() / time.Duration(b.N)
			})
			b.Run("GlobTool", func(b *testing.B) {
				for b.Loop() {
					m, err := Find(context.Background(), tree, bc.pattern, "", policy)
					if err != nil || len(m) == 0 {
						b.Fatalf("Find = %d matches, %v", len(m), err)
					}
				}
				if findPerOp > 0 {
					b.ReportMetric(float64(b.Elapsed()/time.Duration(b.N))/float64(findPerOp), "x-find")
				}
			})
		})
	}
}
