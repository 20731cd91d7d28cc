package toolkit

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrRelativePath is returned by [Policy.Resolve] for a path that is not
// absolute.
var ErrRelativePath = errors.New("path is relative")

// ErrOutsideRoots is returned by [Policy.Resolve] for a path that resolves
// outside every root.
var ErrOutsideRoots = errors.New("path is outside the allowed roots")

// A Policy confines file tools to a set of root directories. A tool checks
// a path and gets the root that holds it with [Policy.Open], then does all
// its I/O through that [Root], so that a symbolic link swapped in after the
// check cannot lead out.
//
// A Policy with no roots confines nothing, but still refuses relative paths:
// a tool server's working directory is not the model's, so a relative path
// would name a file the model did not mean.
//
// A nil *Policy is a Policy with no roots. A Policy is immutable and safe
// for concurrent use.
type Policy struct {
	roots []string // absolute, cleaned, symlinks resolved
}

// NewPolicy returns a Policy confined to roots. Each root must name an
// existing directory; a relative root is taken relative to the current
// directory (roots come from the command line, not from the model).
// No roots means no confinement.
func NewPolicy(roots []string) (*Policy, error) {
	p := &Policy{}
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, fmt.Errorf("root %s: %w", root, err)
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return nil, fmt.Errorf("root %s: %w", root, err)
		}
		info, err := os.Stat(real)
		if err != nil {
			return nil, fmt.Errorf("root %s: %w", root, err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("root %s: not a directory", root)
		}
		p.roots = append(p.roots, real)
	}
	return p, nil
}

// Roots returns the roots with symlinks resolved, in the order given.
func (p *Policy) Roots() []string {
	if p == nil {
		return nil
	}
	return append([]string(nil), p.roots...)
}

// Confined reports whether the policy has roots.
func (p *Policy) Confined() bool {
	return p != nil && len(p.roots) > 0
}

// Resolve checks path against the policy and returns the path the tool must
// use from then on.
//
// The path must be absolute; "." and ".." are cleaned lexically first. With
// roots, symlinks are resolved (for a file that does not exist yet, those of
// its longest existing ancestor), the result must lie inside a root, and the
// resolved path is returned; using it, rather than the input, is what keeps
// a symlink from leading outside. Without roots the cleaned path is returned.
//
// Errors wrap [ErrRelativePath] or [ErrOutsideRoots] and are worded for the
// model, which can act on them directly.
//
// Resolve alone cannot stop a symlink created after it returns, which a
// hostile process on the same machine can race to do: a tool that opens
// the path by name then follows it. Tools use [Policy.Open] instead, whose
// Root keeps every later operation inside.
func (p *Policy) Resolve(path string) (string, error) {
	if !filepath.IsAbs(path) {
		if p.Confined() {
			return "", fmt.Errorf("%w: %q; give an absolute path such as %s", ErrRelativePath, path, filepath.Join(p.roots[0], path))
		}
		return "", fmt.Errorf("%w: %q; give an absolute path, starting with %c", ErrRelativePath, path, filepath.Separator)
	}
	clean := filepath.Clean(path)
	if !p.Confined() {
		return clean, nil
	}
	real, err := evalExisting(clean)
	if err != nil {
		return "", fmt.Errorf("resolving %s: %w", path, err)
	}
	for _, root := range p.roots {
		if within(root, real) {
			return real, nil
		}
	}
	if real != clean {
		return "", fmt.Errorf("%w: %s resolves to %s; allowed roots: %s", ErrOutsideRoots, path, real, strings.Join(p.roots, ", "))
	}
	return "", fmt.Errorf("%w: %s; allowed roots: %s", ErrOutsideRoots, path, strings.Join(p.roots, ", "))
}

// evalExisting resolves the symlinks of the longest existing prefix of path
// and appends the rest, which holds no symlinks since it does not exist.
// A dangling symlink is followed by hand: creating the file would follow it.
func evalExisting(path string) (string, error) {
	for hops := 0; hops < 40; hops++ {
		dir, rest := path, ""
		for {
			real, err := filepath.EvalSymlinks(dir)
			if err == nil {
				return filepath.Join(real, rest), nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
			if target, err := os.Readlink(dir); err == nil {
				if !filepath.IsAbs(target) {
					target = filepath.Join(filepath.Dir(dir), target)
				}
				path = filepath.Join(target, rest)
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return "", err
			}
			rest = filepath.Join(filepath.Base(dir), rest)
			dir = parent
		}
	}
	return "", fmt.Errorf("too many levels of symbolic links")
}

// within reports whether path is root or lies under it; both are clean.
func within(root, path string) bool {
	if path == root {
		return true
	}
	prefix := root
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	return strings.HasPrefix(path, prefix)
}

// SearchDir resolves where a search starts: path when given, else def, else
// the working directory. A default that lies outside the roots gives way to
// the first root, so a confined tool still has somewhere to look.
func (p *Policy) SearchDir(path, def string) (string, error) {
	if path == "" {
		path = def
		if path == "" {
			wd, err := os.Getwd()
			if err != nil {
				return "", fmt.Errorf("no path given and no working directory (%v); give an absolute path", err)
			}
			path = wd
		}
		if roots := p.Roots(); len(roots) > 0 {
			if _, err := p.Resolve(path); err != nil {
				path = roots[0]
			}
		}
	}
	return p.Resolve(path)
}
