package vcr_test

import (
	"os/exec"
	"strings"
	"testing"
)

// goList runs go list with args in this package's directory and returns
// the lines it prints.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go command: %v", err)
	}
	out, err := exec.CommandContext(t.Context(), "go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, ee.Stderr)
		}
		t.Fatalf("go list %s: %v", strings.Join(args, " "), err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// vcr is for tests of any model service: it must not make them build
// Google's client libraries (those are in vcrgoogle).
func TestImportsNothingOfGoogle(t *testing.T) {
	for _, dep := range goList(t, "-deps", ".") {
		if strings.HasPrefix(dep, "google.golang.org/") || strings.HasPrefix(dep, "cloud.google.com/") {
			t.Errorf("harness/vcr depends on %s; keep Google's libraries in harness/vcr/vcrgoogle", dep)
		}
	}
}

// An OpenAI-only test package using the fake OpenAI server and vcr builds
// fewer than 30 packages beyond the standard library.
func TestOpenAIOnlyTestIsLight(t *testing.T) {
	const pkg = "github.com/owulveryck/gomcptest/harness/vcr/testdata/openaionly"
	lines := goList(t, "-deps", "-test", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./testdata/openaionly")
	var deps []string
	for _, l := range lines {
		if !strings.HasPrefix(l, pkg) { // the package itself and its test variants
			deps = append(deps, l)
		}
	}
	t.Logf("an OpenAI-only test with fakeopenai and vcr builds %d non-standard packages:\n\t%s", len(deps), strings.Join(deps, "\n\t"))
	if len(deps) >= 30 {
		t.Errorf("%d non-standard packages, want fewer than 30", len(deps))
	}
}
