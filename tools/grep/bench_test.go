package grep

import (
	"context"
	"os/exec"
	"regexp"
	"testing"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// BenchmarkSearch times Search beside ripgrep on the Go source tree, with
// the same patterns, and reports the ratio as x-rg (1 means as fast as
// rg; the target is at most 2): without roots (GrepTool), and confined to
// the tree (GrepTool-root), where every file is opened through an os.Root.
func BenchmarkSearch(b *testing.B) {
	tree := tooltest.GoSrc(b)
	free, err := toolkit.NewPolicy(nil)
	if err != nil {
		b.Fatal(err)
	}
	confined, err := toolkit.NewPolicy([]string{tree})
	if err != nil {
		b.Fatal(err)
	}
	search := func(pattern string, policy *toolkit.Policy) func(b *testing.B) {
		return func(b *testing.B) {
			q := Query{Re: regexp.MustCompile("(?m)" + pattern), Dir: tree, Policy: policy}
			for b.Loop() {
				if _, err := Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	for _, bc := range []struct{ name, pattern string }{
		{"literal", "ErrUnexpectedEOF"},
		{"regexp", `func \(\w+ \*Reader\) Read`},
		{"nomatch", "zzqqxxjj"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tooltest.Versus(b, "x-rg", tooltest.Bench{Name: "rg", Run: func(b *testing.B) {
				rg, err := exec.LookPath("rg")
				if err != nil {
					b.Skip("rg not installed (apt-get install ripgrep): no ratio to report")
				}
				for b.Loop() {
					// exit status 1 means no match, which is fine
					cmd := exec.Command(rg, "-n", "--no-require-git", "--hidden", bc.pattern, tree)
					if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != 1 {
						b.Fatal(err)
					}
				}
			}},
				tooltest.Bench{Name: "GrepTool", Run: search(bc.pattern, free)},
				tooltest.Bench{Name: "GrepTool-root", Run: search(bc.pattern, confined)})
		})
	}
}
