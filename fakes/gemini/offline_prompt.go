package fakegemini

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads a prompt the way the offline model does: its quoted
// strings, its clauses, the paths, numbers and proper nouns it holds, and
// the working directory the system instruction gives.

// quote is a quoted part of a text: text[start:end] holds the quotes too.
type quote struct {
	start, end int
	text       string
	backtick   bool
}

// quotes finds the strings in "double", “curly” or 'single' quotes and in
// backticks. A single quote opens only after a space, a parenthesis or the
// start, and closes only before one or punctuation, so that apostrophes
// ("what's") are left alone.
func quotes(s string) []quote {
	var out []quote
	unclosed := map[string]bool{} // closers absent from the rest of s
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		closer := ""
		switch r {
		case '"', '`':
			closer = string(r)
		case '“':
			closer = "”"
		case '\'':
			if i == 0 || strings.ContainsRune(" \t\n(", rune(s[i-1])) {
				closer = "'"
			}
		}
		j := -1
		if closer != "" && !unclosed[closer] {
			if j = strings.Index(s[i+size:], closer); j < 0 {
				unclosed[closer] = true
			}
		}
		if j <= 0 {
			i += size
			continue
		}
		end := i + size + j + len(closer)
		if r == '\'' && end < len(s) && !strings.ContainsRune(" \t\n.,;:!?)", rune(s[end])) {
			i += size
			continue
		}
		out = append(out, quote{start: i, end: end, text: s[i+size : i+size+j], backtick: r == '`'})
		i = end
	}
	return out
}

// blanked stands for a quoted byte in a blanked text: neither a space
// nor a word character.
const blanked = '\x1a'

// blank returns s with the bytes of the quoted parts replaced by blanked,
// so that what the user quoted is never read as words, paths or
// separators, and the offsets stay those of s.
func blank(s string, qs []quote) string {
	b := []byte(s)
	for _, q := range qs {
		for i := q.start; i < q.end; i++ {
			b[i] = blanked
		}
	}
	return string(b)
}

// fields splits a blanked text into its words outside quotes.
func fields(plain string) []string {
	return strings.FieldsFunc(plain, func(r rune) bool { return r == blanked || unicode.IsSpace(r) })
}

// A clause is one thing the prompt asks for.
type clause struct {
	text   string  // as written
	plain  string  // with the quoted parts blanked
	quoted []quote // relative to text
	rest   string  // the prompt from this clause on
	// later reports whether the clause waits for the results of the ones
	// before it ("then", "and then", a new sentence starting with "Then").
	later bool
}

var (
	separator = regexp.MustCompile(`(?i)(?:\s*,\s*|\s+)(and then|then|after that|and)\s+|\s*;\s*|[.!?]\s+`)
	leadThen  = regexp.MustCompile(`(?i)^(?:and\s+)?then\b[,\s]*`)
	// verbs that start a clause of their own after "and".
	leadVerb = regexp.MustCompile(`(?i)^(?:please\s+|also\s+)*(?:list|ls|show|read|view|cat|open|display|print|sleep|pause|wait|nap|find|search|locate|look|glob|grep|create|write|make|save|run|execute|verify|check|confirm|ensure|tell|give|describe|explain|summari[sz]e|use|call|invoke|get|fetch|count)\b`)
)

// clauses splits a prompt into what it asks for: at ";", at the end of a
// sentence, at "then", and at "and" when a verb follows (so "the files and
// folders in /tmp" stays whole).
func clauses(text string) []clause {
	qs := quotes(text)
	plain := blank(text, qs)
	var out []clause
	start, later := 0, false
	add := func(end int) {
		c := clause{text: text[start:end], plain: plain[start:end], rest: text[start:], later: later}
		if m := leadThen.FindStringIndex(c.plain); m != nil {
			c.later = true
			c.text, c.plain, c.rest = c.text[m[1]:], c.plain[m[1]:], c.rest[m[1]:]
			start += m[1]
		}
		for ; len(qs) > 0 && qs[0].start < end; qs = qs[1:] { // in order, each once
			if q := qs[0]; q.start >= start && q.end <= end {
				q.start, q.end = q.start-start, q.end-start
				c.quoted = append(c.quoted, q)
			}
		}
		if strings.TrimSpace(c.plain) != "" || len(c.quoted) > 0 {
			out = append(out, c)
		}
	}
	for _, m := range separator.FindAllStringSubmatchIndex(plain, -1) {
		word := ""
		if m[2] >= 0 {
			word = strings.ToLower(plain[m[2]:m[3]])
		}
		if word == "and" && !leadVerb.MatchString(plain[m[1]:]) {
			continue
		}
		add(m[0])
		start, later = m[1], word != "" && word != "and"
	}
	add(len(text))
	return out
}

// tokens returns the words of the clause outside quotes, trimmed of the
// punctuation around them.
func (c *clause) tokens() []string {
	var out []string
	for _, f := range fields(c.plain) {
		t := strings.Trim(f, ",;:!?()[]{}<>\"'“”")
		if len(t) > 1 && t != ".." {
			t = strings.TrimRight(t, ".")
		}
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

var (
	fileName = regexp.MustCompile(`^[\w-]+(\.[\w-]+)*\.[A-Za-z][\w-]*$`)
	winPath  = regexp.MustCompile(`^[A-Za-z]:[\\/]`)
)

// isPath reports whether a word looks like a path: absolute, ~, . or ..,
// holding a slash, or a file name with an extension.
func isPath(t string) bool {
	switch {
	case t == "" || strings.Contains(t, "://") || strings.ContainsAny(t, "*?"):
		return false
	case t == "." || t == ".." || t[0] == '/' || t[0] == '~' || strings.Contains(t, "/") || winPath.MatchString(t):
		return true
	case strings.EqualFold(t, "e.g") || strings.EqualFold(t, "i.e"):
		return false
	}
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return false
	}
	return fileName.MatchString(t)
}

// paths returns the paths the clause names, outside quotes first, then the
// quoted strings that look like paths.
func (c *clause) paths() []string {
	var out []string
	for _, t := range c.tokens() {
		if isPath(t) {
			out = append(out, t)
		}
	}
	for _, q := range c.quoted {
		if !strings.ContainsAny(q.text, " \t\n") && isPath(q.text) {
			out = append(out, q.text)
		}
	}
	return out
}

// firstQuoted returns the first quoted string of the clause that is not
// skip, and whether there is one.
func (c *clause) firstQuoted(skip string) (string, bool) {
	for _, q := range c.quoted {
		if q.text != skip {
			return q.text, true
		}
	}
	return "", false
}

var (
	workingDir = regexp.MustCompile(`(?i)\bworking[ -]dir(?:ectory)?\b[^\n/\\]{0,40}?((?:[a-z]:)?[/\\][^\s"'` + "`" + `,;)]*)`)
	rootDir    = regexp.MustCompile(`(?i)\broots?\b[^\n/\\]{0,40}?((?:[a-z]:)?[/\\][^\s"'` + "`" + `,;)]*)`)
)

// workDir returns the tools' working directory as the request tells it:
// the first absolute path after "working directory" in the system
// instruction, then in the user's texts; else the first root ("roots:
// /a, /b"); else "".
func workDir(req *Request) string {
	texts := []string{contentText(req.SystemInstruction)}
	for _, c := range req.Contents {
		if c != nil && c.Role != "model" {
			texts = append(texts, contentText(c))
		}
	}
	for _, re := range []*regexp.Regexp{workingDir, rootDir} {
		for _, t := range texts {
			if m := re.FindStringSubmatch(t); m != nil {
				if p := strings.TrimRight(m[1], ".:"); len(p) > 1 || p == "/" {
					return p
				}
			}
		}
	}
	return ""
}

// resolve makes a relative path absolute against wd, when wd is known.
func resolve(p, wd string) string {
	if wd == "" || p == "" || filepath.IsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || winPath.MatchString(p) {
		return p
	}
	return filepath.Join(wd, p)
}

// parent returns the folder of a path as the tools take it.
func parent(p string) string {
	if d := filepath.Dir(p); d != "" {
		return d
	}
	return "."
}

// shellWord quotes s for bash unless it is a plain word or path.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./~+-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
