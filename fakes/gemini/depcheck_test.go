package fakegemini

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLightImports keeps the fake free of heavy dependencies: the host
// embeds it for the offline model, and it must not pull in genai (which it
// fakes) or anything beyond the standard library and txtar.
func TestLightImports(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(path, ".") && path != "github.com/rogpeppe/go-internal/txtar" {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
}
