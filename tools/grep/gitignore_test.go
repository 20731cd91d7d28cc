package grep

import "testing"

func TestIgnoreFileMatch(t *testing.T) {
	f := parseIgnore([]byte(`# comment
*.log
!keep.log
build/
/top.txt
doc/*.html
**/gen/**
a/**/z
\#hash
trailing   
`))
	tests := []struct {
		path  string
		isDir bool
		want  int
	}{
		{"x.log", false, 1},
		{"deep/x.log", false, 1},
		{"keep.log", false, -1},
		{"build", true, 1},
		{"build", false, 0}, // dir-only
		{"sub/build", true, 1},
		{"top.txt", false, 1},
		{"sub/top.txt", false, 0}, // anchored
		{"doc/a.html", false, 1},
		{"doc/sub/a.html", false, 0}, // * stops at /
		{"x/gen/y.go", false, 1},
		{"a/z", false, 1},
		{"a/b/c/z", false, 1},
		{"#hash", false, 1},
		{"trailing", false, 1},
		{"main.go", false, 0},
	}
	for _, tt := range tests {
		if got := f.match(tt.path, tt.isDir); got != tt.want {
			t.Errorf("match(%q, dir=%v) = %d, want %d", tt.path, tt.isDir, got, tt.want)
		}
	}
}
