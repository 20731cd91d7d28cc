package glob

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// A Pattern is a compiled glob. It matches slash-separated relative paths:
//
//   - any run of characters except /
//     ?        one character except /
//     [abc]    one character of a class; [!abc] or [^abc] negates it
//     {a,b}    either alternative (they may nest and hold other wildcards)
//     **       as a whole path segment: zero or more directories
//     \x       the character x itself
//
// A Pattern is immutable and safe for concurrent use.
type Pattern struct {
	text     string
	re       *regexp.Regexp
	hasSlash bool // matched against the whole path, not the base name
	deep     bool // holds a ** segment, so it can match at any depth
	segments int  // number of path segments
	// For **/NAME, where NAME holds no slash, only the base name matters:
	// base matches it, and suffix, if set, is all NAME asks for (*.go).
	base   *regexp.Regexp
	suffix string
}

// Compile parses a glob pattern. A leading "./" or "/" is ignored: patterns
// are relative to the directory searched.
func Compile(pattern string) (*Pattern, error) {
	text := strings.TrimPrefix(strings.TrimPrefix(pattern, "./"), "/")
	if text == "" {
		return nil, fmt.Errorf("empty glob pattern %q", pattern)
	}
	expr, err := translate(text)
	if err != nil {
		return nil, fmt.Errorf("glob pattern %q: %w", pattern, err)
	}
	re, err := regexp.Compile("^" + expr + "$")
	if err != nil {
		return nil, fmt.Errorf("glob pattern %q: %w", pattern, err)
	}
	segs := strings.Split(text, "/")
	p := &Pattern{
		text:     text,
		re:       re,
		hasSlash: strings.Contains(text, "/"),
		deep:     strings.Contains(text, "**"),
		segments: len(segs),
	}
	if name, ok := strings.CutPrefix(text, "**/"); ok && !strings.Contains(name, "/") && !strings.Contains(name, "**") {
		expr, _ := translate(name) // a part of a valid pattern
		p.base = regexp.MustCompile("^" + expr + "$")
		if rest, ok := strings.CutPrefix(name, "*"); ok && !strings.ContainsAny(rest, `*?[]{}\`) {
			p.suffix = rest
		}
	}
	return p, nil
}

// String returns the pattern as written.
func (p *Pattern) String() string { return p.text }

// Match reports whether the slash-separated relative path rel matches the
// whole pattern.
func (p *Pattern) Match(rel string) bool {
	if p.base != nil {
		return p.matchBase(path.Base(rel))
	}
	return p.re.MatchString(rel)
}

// matchBase matches the base name of a path against a **/NAME pattern.
func (p *Pattern) matchBase(name string) bool {
	if p.suffix != "" {
		return strings.HasSuffix(name, p.suffix)
	}
	return p.base.MatchString(name)
}

// MatchName matches like a file filter does: a pattern without a slash
// (such as *.go) is matched against the base name of rel, so it applies at
// any depth; a pattern with a slash is matched against rel as a whole.
func (p *Pattern) MatchName(rel string) bool {
	if p.hasSlash {
		return p.re.MatchString(rel)
	}
	return p.re.MatchString(path.Base(rel))
}

// prefix returns the leading segments of the pattern that hold no
// wildcard: the directory a search can start from.
func (p *Pattern) prefix() string {
	segs := strings.Split(p.text, "/")
	var static []string
	for _, s := range segs[:len(segs)-1] {
		if strings.ContainsAny(s, `*?[{\`) {
			break
		}
		static = append(static, s)
	}
	return strings.Join(static, "/")
}

// translate turns glob syntax into a regular expression, without anchors.
func translate(glob string) (string, error) {
	var b strings.Builder
	depth := 0 // open braces
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch c {
		case '*':
			if i+1 < len(glob) && glob[i+1] == '*' && (i == 0 || glob[i-1] == '/') {
				end := i + 2
				switch {
				case end == len(glob): // trailing **: everything below
					b.WriteString(".*")
					i = end - 1
					continue
				case glob[end] == '/': // **/: zero or more directories
					b.WriteString("(?:[^/]*/)*")
					i = end
					continue
				}
			}
			for i+1 < len(glob) && glob[i+1] == '*' {
				i++ // a ** inside a segment is a plain *
			}
			b.WriteString("[^/]*")
		case '?':
			b.WriteString("[^/]")
		case '[':
			end := strings.IndexByte(glob[i+1:], ']')
			if end == 0 && i+2 < len(glob) { // []] holds a ]
				if e := strings.IndexByte(glob[i+2:], ']'); e >= 0 {
					end = e + 1
				}
			}
			if end < 0 {
				return "", fmt.Errorf("unclosed [ at offset %d", i)
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
		case '{':
			depth++
			b.WriteString("(?:")
		case '}':
			if depth == 0 {
				b.WriteString(`\}`)
				continue
			}
			depth--
			b.WriteByte(')')
		case ',':
			if depth > 0 {
				b.WriteByte('|')
			} else {
				b.WriteByte(',')
			}
		case '\\':
			if i+1 == len(glob) {
				return "", fmt.Errorf("trailing backslash")
			}
			i++
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		}
	}
	if depth > 0 {
		return "", fmt.Errorf("unclosed {")
	}
	return b.String(), nil
}
