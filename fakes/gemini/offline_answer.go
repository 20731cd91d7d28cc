package fakegemini

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
)

// quoteLimit is how much of a tool's output the offline model quotes, in
// bytes: whole lines up to it.
const quoteLimit = 4096

// report quotes each tool result in a fenced code block, errors too.
func report(results []*FunctionResponse) string {
	var b strings.Builder
	for i, r := range results {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if msg, ok := r.Response["error"]; ok {
			fmt.Fprintf(&b, "The `%s` tool reported an error:\n\n%s", r.Name, fence(msg))
			continue
		}
		out, ok := r.Response["output"]
		if !ok {
			out = r.Response
		}
		fmt.Fprintf(&b, "The `%s` tool answered:\n\n%s", r.Name, fence(out))
		var media []json.RawMessage
		if json.Unmarshal(r.Parts, &media) == nil && len(media) > 0 {
			fmt.Fprintf(&b, "\n\nIt also returned %d attached file(s), which I cannot show here.", len(media))
		}
	}
	return b.String()
}

// fence renders v (text, or JSON indented) as a fenced code block, whole
// if it fits in quoteLimit bytes, else the whole lines that do, saying how
// much was left out. The fence is longer than any run of backticks inside.
func fence(v any) string {
	s, lang := "", ""
	if str, ok := v.(string); ok {
		s = str
	} else {
		b, _ := json.MarshalIndent(v, "", "  ")
		s, lang = string(b), "json"
	}
	s = strings.Trim(s, "\n")
	if strings.TrimSpace(s) == "" {
		return "(no output)"
	}
	kept, note := s, ""
	if len(s) > quoteLimit {
		cut := max(strings.LastIndexByte(s[:quoteLimit+1], '\n'), 0)
		kept = s[:cut]
		left := strings.TrimPrefix(s[cut:], "\n")
		note = fmt.Sprintf("\n\n(%d more lines, %d bytes, left out: I quote up to %d bytes of whole lines.)",
			strings.Count(left, "\n")+1, len(left), quoteLimit)
	}
	if kept == "" {
		return fmt.Sprintf("(The output is %d bytes, and its first line alone is longer than the %d bytes I quote: left out.)", len(s), quoteLimit)
	}
	f := fenceFor(kept)
	return f + lang + "\n" + kept + "\n" + f + note
}

// fenceFor returns a fence of backticks longer than any run in s, and at
// least three.
func fenceFor(s string) string {
	n, run := 3, 0
	for _, r := range s {
		if r != '`' {
			run = 0
			continue
		}
		if run++; run >= n {
			n = run + 1
		}
	}
	return strings.Repeat("`", n)
}

// conclude says what a verification showed: whether the file is in the
// results (its name, or the text written into it).
func conclude(ck *check, results []*FunctionResponse) string {
	var out strings.Builder
	for _, r := range results {
		if _, failed := r.Response["error"]; failed {
			return ""
		}
		b, _ := json.Marshal(r.Response)
		out.Write(b)
		if s, ok := r.Response["output"].(string); ok {
			out.WriteString(s)
		}
	}
	name := filepath.Base(ck.path)
	hasName := strings.Contains(out.String(), name)
	hasText := ck.content != "" && strings.Contains(out.String(), ck.content)
	switch {
	case hasText:
		return fmt.Sprintf("`%s` exists and holds the text I wrote.", ck.path)
	case hasName:
		return fmt.Sprintf("`%s` is there: the file exists.", name)
	}
	return fmt.Sprintf("I do not see `%s` in that answer: the file may not exist.", name)
}

// calling announces calls: "Calling `a`, `b` and `c`."
func calling(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + n + "`"
	}
	list := quoted[0]
	if n := len(quoted); n > 1 {
		list = strings.Join(quoted[:n-1], ", ") + " and " + quoted[n-1]
	}
	return "Calling " + list + "."
}

// textChunks splits s into chunks of a few words each, so streaming is
// visible; joined, the chunks give s back.
func textChunks(s string) []Chunk {
	const words = 6
	space := func(c byte) bool { return c == ' ' || c == '\n' }
	var chunks []Chunk
	start, n := 0, 0
	for i := 1; i < len(s); i++ {
		if space(s[i]) && !space(s[i-1]) {
			n++
			if n == words {
				chunks = append(chunks, Text(s[start:i]))
				start, n = i, 0
			}
		}
	}
	return append(chunks, Text(s[start:]))
}
