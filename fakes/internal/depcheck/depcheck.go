// Package depcheck keeps the fakes light: the host embeds them, and they
// must not pull in the clients they fake. A fake's test calls Light.
package depcheck

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const (
	module = "github.com/owulveryck/gomcptest"
	txtar  = "github.com/rogpeppe/go-internal/txtar"
)

// Light reports with tb.Errorf, as "FILE imports PATH", each import of the
// non-test Go files in dir beyond the standard library and txtar. The
// module's own fakes/internal packages are allowed, and their imports
// checked the same way, so nothing heavy comes in through them.
func Light(tb testing.TB, dir string) {
	tb.Helper()
	dir, err := filepath.Abs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	root, err := moduleRoot(dir)
	if err != nil {
		tb.Fatal(err)
	}
	seen := map[string]bool{}
	var check func(d string)
	check = func(d string) {
		if seen[d] {
			return
		}
		seen[d] = true
		files, _ := filepath.Glob(filepath.Join(d, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				tb.Fatal(err)
			}
			for _, imp := range ast.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if rel, ok := strings.CutPrefix(path, module+"/fakes/internal/"); ok {
					check(filepath.Join(root, "fakes", "internal", filepath.FromSlash(rel)))
					continue
				}
				if strings.Contains(path, ".") && path != txtar {
					name, err := filepath.Rel(dir, f)
					if err != nil {
						name = f
					}
					tb.Errorf("%s imports %s", name, path)
				}
			}
		}
	}
	check(dir)
}

// moduleRoot returns the directory of the go.mod above dir, an absolute
// path.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		d = up
	}
}
