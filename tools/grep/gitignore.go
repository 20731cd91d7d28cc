package grep

import (
	"bufio"
	"bytes"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// An ignoreFile holds the rules of one .gitignore file, which apply to the
// paths below the directory that holds it.
type ignoreFile struct {
	rules []ignoreRule
}

type ignoreRule struct {
	re      *regexp.Regexp
	negate  bool // a leading !: re-include what an earlier rule excluded
	dirOnly bool // a trailing /: matches directories only
	base    bool // no slash: matched against the base name at any depth
}

// parseIgnore parses .gitignore text as git does (gitignore(5)): blank
// lines and # comments are skipped, trailing spaces dropped unless
// escaped, ! negates, a trailing / matches directories only, a slash at
// the start or in the middle anchors the pattern to the file's directory,
// and ** spans directories. Lines that do not compile are skipped, as git
// skips them.
func parseIgnore(data []byte) *ignoreFile {
	f := &ignoreFile{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
			line = line[:len(line)-1]
		}
		if line == "" || line[0] == '#' {
			continue
		}
		var r ignoreRule
		if line[0] == '!' {
			r.negate = true
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") {
			r.dirOnly = true
			line = strings.TrimRight(line, "/")
		}
		if line == "" {
			continue
		}
		r.base = !strings.Contains(line, "/")
		line = strings.TrimPrefix(line, "/")
		re, err := regexp.Compile("^" + ignoreRegexp(line) + "$")
		if err != nil {
			continue
		}
		r.re = re
		f.rules = append(f.rules, r)
	}
	return f
}

// match reports whether rel (slash-separated, relative to the file's
// directory) is ignored (+1), re-included (-1), or not named (0) by f.
// The last matching rule decides.
func (f *ignoreFile) match(rel string, isDir bool) int {
	name := path.Base(rel)
	for i := len(f.rules) - 1; i >= 0; i-- {
		r := f.rules[i]
		if r.dirOnly && !isDir {
			continue
		}
		subject := rel
		if r.base {
			subject = name
		}
		if r.re.MatchString(subject) {
			if r.negate {
				return -1
			}
			return 1
		}
	}
	return 0
}

// ignoreRegexp translates a gitignore glob into a regular expression.
func ignoreRegexp(glob string) string {
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch {
		case c == '*' && strings.HasPrefix(glob[i:], "**") && (i == 0 || glob[i-1] == '/'):
			rest := glob[i+2:]
			switch {
			case rest == "": // trailing /**: everything inside
				b.WriteString(".*")
				i++
			case rest[0] == '/': // **/: zero or more directories
				b.WriteString("(?:.*/)?")
				i += 2
			default:
				b.WriteString("[^/]*")
				i++
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(glob[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := glob[i+1 : i+1+end]
			i += end + 1
			b.WriteByte('[')
			if strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^") {
				b.WriteByte('^')
				class = class[1:]
			}
			for _, r := range class {
				if r == '\\' || r == '[' || r == ']' || r == '^' {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
			b.WriteByte(']')
		case c == '\\' && i+1 < len(glob):
			i++
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		}
	}
	return b.String()
}

// ignoreStack is the .gitignore files in force in one directory, from the
// outermost to the innermost, each with the directory that holds it.
type ignoreStack []ignoreLevel

type ignoreLevel struct {
	dir  string // absolute
	file *ignoreFile
}

// push returns the stack for the directory shown as dir, named name in
// root, adding its .gitignore if it has one. The receiver is not modified,
// so sibling directories can share a parent's stack.
func (s ignoreStack) push(root *toolkit.Root, dir, name string) ignoreStack {
	data, err := root.ReadFile(join(name, ".gitignore"))
	if err != nil {
		return s
	}
	return append(s[:len(s):len(s)], ignoreLevel{dir: dir, file: parseIgnore(data)})
}

// ignored reports whether the absolute path p is ignored. The innermost
// file that names p decides.
func (s ignoreStack) ignored(p string, isDir bool) bool {
	for i := len(s) - 1; i >= 0; i-- {
		l := s[i]
		rel := strings.TrimPrefix(p[len(l.dir):], "/")
		switch l.file.match(rel, isDir) {
		case 1:
			return true
		case -1:
			return false
		}
	}
	return false
}

// parentIgnores returns the stack of the .gitignore files above dir, the
// absolute path of a directory in root, up to and including the top of its
// git work tree (the nearest ancestor with a .git). Outside a work tree it
// is empty: parent .gitignore files then do not apply.
//
// The parents inside root are read through it. Those above it, which the
// policy does not let the model name, are read by name, for their rules
// only: what they hold is never shown.
func parentIgnores(root *toolkit.Root, dir string) ignoreStack {
	var unconfined *toolkit.Policy
	above, _, err := unconfined.Open("/")
	if err != nil {
		return nil
	}
	// at returns where the directory d is read, and its name there.
	at := func(d string) (*toolkit.Root, string) {
		if rel, err := filepath.Rel(root.Dir(), d); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			return root, rel
		}
		if d == "/" {
			return above, "."
		}
		return above, strings.TrimPrefix(d, "/")
	}
	hasGit := func(d string) bool {
		r, name := at(d)
		_, err := r.Lstat(join(name, ".git"))
		return err == nil
	}
	if hasGit(dir) {
		return nil // dir is the top of its work tree
	}
	var chain []string
	for d := path.Dir(dir); ; d = path.Dir(d) {
		chain = append(chain, d)
		if hasGit(d) {
			break
		}
		if d == "/" {
			return nil
		}
	}
	var s ignoreStack
	for i := len(chain) - 1; i >= 0; i-- {
		r, name := at(chain[i])
		s = s.push(r, chain[i], name)
	}
	return s
}
