package toolkit

import (
	"fmt"
	"unicode/utf8"
)

// DefaultMaxOutput is the default of the -max-output flag: the number of
// characters a tool returns before it truncates its output.
const DefaultMaxOutput = 30000

// Truncate returns text unchanged if it holds at most limit characters
// (runes); otherwise it returns the first limit characters followed by a
// line that says how much was cut and, in hint, how to get the rest (each
// tool knows its own way: an offset, a narrower pattern, a pipe to head).
// A limit of zero or less means no limit.
func Truncate(text string, limit int, hint string) string {
	if limit <= 0 || len(text) <= limit {
		return text // len counts bytes, which are never fewer than runes
	}
	total := utf8.RuneCountInString(text)
	if total <= limit {
		return text
	}
	cut := 0
	for range limit {
		_, size := utf8.DecodeRuneInString(text[cut:])
		cut += size
	}
	note := fmt.Sprintf("[output truncated: showed the first %d of %d characters", limit, total)
	if hint != "" {
		note += "; " + hint
	}
	note += "]"
	sep := "\n"
	if text[cut-1] == '\n' {
		sep = ""
	}
	return text[:cut] + sep + note
}
