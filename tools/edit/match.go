package edit

import (
	"errors"
	"fmt"
	"strings"
)

// A Region is a range of lines of the edited file, numbered from 1, that
// holds replacement text.
type Region struct {
	Start int `json:"start" jsonschema:"first line of the region"`
	End   int `json:"end" jsonschema:"last line of the region"`
}

// errSame refuses an edit that changes nothing.
var errSame = errors.New("old_string and new_string are the same, so there is nothing to change; give the new text in new_string")

// replace replaces old with new in text: the single occurrence, or every
// one when all is set. It returns the new text and, for each replacement,
// the lines it occupies in the new text. old must not be empty.
//
// The error says how to recover: not found, or found several times (with
// the line of each occurrence) without all.
func replace(text, old, new string, all bool) (string, []Region, error) {
	if old == new {
		return "", nil, errSame
	}
	var at []int
	for i := 0; ; {
		j := strings.Index(text[i:], old)
		if j < 0 {
			break
		}
		at = append(at, i+j)
		i += j + len(old)
	}
	switch {
	case len(at) == 0:
		return "", nil, errors.New("old_string was not found in the file; read the file again (with View) and copy the text exactly, with its whitespace and indentation")
	case len(at) > 1 && !all:
		lines := make([]string, len(at))
		for k, i := range at {
			lines[k] = fmt.Sprint(lineOf(text, i))
		}
		return "", nil, fmt.Errorf("old_string occurs %d times, at lines %s; add surrounding lines to old_string so that it occurs once, or set replace_all to true to replace every occurrence",
			len(at), strings.Join(lines, ", "))
	}
	var b strings.Builder
	regions := make([]Region, 0, len(at))
	prev, line := 0, 1 // line is the line of b's end
	for _, i := range at {
		line += strings.Count(text[prev:i], "\n")
		b.WriteString(text[prev:i])
		start := line
		b.WriteString(new)
		line += strings.Count(new, "\n")
		end := line
		if strings.HasSuffix(new, "\n") && end > start {
			end-- // the region ends on the line the newline closes
		}
		regions = append(regions, Region{Start: start, End: end})
		prev = i + len(old)
	}
	b.WriteString(text[prev:])
	return b.String(), regions, nil
}

// lineOf returns the line, from 1, that holds byte i of text.
func lineOf(text string, i int) int {
	return strings.Count(text[:i], "\n") + 1
}
