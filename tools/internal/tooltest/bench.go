package tooltest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// GoSrc returns the source tree of the Go toolchain running the test, a
// large real tree to search, and skips the test when it is not installed.
func GoSrc(tb testing.TB) string {
	tb.Helper()
	tree := filepath.Join(runtime.GOROOT(), "src")
	if _, err := os.Stat(tree); err != nil {
		tb.Skipf("no Go source tree at %s: %v", tree, err)
	}
	return tree
}

// A Bench is a named sub-benchmark for [Versus]; Run loops with b.Loop.
type Bench struct {
	Name string
	Run  func(b *testing.B)
}

// Versus runs baseline and then each of ours as sub-benchmarks of b, and
// reports on each of ours its time per operation as a multiple of
// baseline's, in the metric unit (x-rg: 1 means as fast as rg). When
// baseline skips, for instance because the command it times is not
// installed, ours run alone and no ratio is reported.
func Versus(b *testing.B, unit string, baseline Bench, ours ...Bench) {
	b.Helper()
	var basePerOp time.Duration
	b.Run(baseline.Name, func(b *testing.B) {
		baseline.Run(b)
		basePerOp = b.Elapsed() / time.Duration(b.N)
	})
	for _, o := range ours {
		b.Run(o.Name, func(b *testing.B) {
			o.Run(b)
			if basePerOp > 0 {
				perOp := b.Elapsed() / time.Duration(b.N)
				b.ReportMetric(float64(perOp)/float64(basePerOp), unit)
			}
		})
	}
}
