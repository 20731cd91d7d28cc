package glob

import "testing"

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"*.go", "main.go", true},
		{"*.go", "pkg/main.go", false},
		{"**/*.go", "main.go", true},
		{"**/*.go", "a/b/c.go", true},
		{"**/*.go", "a/b/c.gox", false},
		{"src/**/*.ts", "src/a.ts", true},
		{"src/**/*.ts", "src/x/y/a.ts", true},
		{"src/**/*.ts", "lib/a.ts", false},
		{"src/**", "src/x/y", true},
		{"*.{ts,tsx}", "a.tsx", true},
		{"*.{ts,tsx}", "a.js", false},
		{"{cmd,pkg}/*/main.go", "cmd/x/main.go", true},
		{"a?c", "abc", true},
		{"a?c", "a/c", false},
		{"[a-c]x", "bx", true},
		{"[!a-c]x", "bx", false},
		{`\*.go`, "*.go", true},
		{`\*.go`, "a.go", false},
		{"**/README*", "docs/README.md", true},
		{"a**b", "axxb", true},
		{"a**b", "a/b", false},
	}
	for _, tt := range tests {
		p, err := Compile(tt.pattern)
		if err != nil {
			t.Fatalf("Compile(%q): %v", tt.pattern, err)
		}
		if got := p.Match(tt.path); got != tt.want {
			t.Errorf("Compile(%q).Match(%q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestPatternMatchName(t *testing.T) {
	p, _ := Compile("*_test.go")
	if !p.MatchName("a/b/x_test.go") {
		t.Error("a pattern without a slash should match base names at any depth")
	}
	p, _ = Compile("vendor/*.go")
	if p.MatchName("x/vendor/a.go") {
		t.Error("a pattern with a slash should match the whole path")
	}
}

func TestCompileErrors(t *testing.T) {
	for _, bad := range []string{"", "[abc", "{a,b", `a\`} {
		if _, err := Compile(bad); err == nil {
			t.Errorf("Compile(%q) succeeded, want an error", bad)
		}
	}
}
