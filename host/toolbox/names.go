package toolbox

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// maxName is the longest tool name both OpenAI and Gemini accept.
const maxName = 64

// sanitize turns s into a name matching ^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$.
// Every other rune becomes '_'. A name too long keeps its head and ends with
// a hash of the whole, so that distinct long names stay distinct and the
// same name always maps to the same result.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (isLetter(byte(r)) || isDigit(byte(r)) || r == '_' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name := b.String()
	if name == "" || !(isLetter(name[0]) || name[0] == '_') {
		name = "_" + name
	}
	if len(name) <= maxName {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(s))
	sum := fmt.Sprintf("_%08x", h.Sum32())
	return name[:maxName-len(sum)] + sum
}

// withSuffix appends "_n" to name, cutting name so the result fits maxName.
func withSuffix(name string, n int) string {
	suffix := "_" + strconv.Itoa(n)
	if len(name)+len(suffix) > maxName {
		name = name[:maxName-len(suffix)]
	}
	return name + suffix
}

// unique returns name, or name with the smallest suffix not in used, and
// records the result in used.
func unique(name string, used map[string]bool) string {
	final := name
	for n := 2; used[final]; n++ {
		final = withSuffix(name, n)
	}
	used[final] = true
	return final
}

// serverNames names each server after its command's base name or its URL's
// host; servers that would share a name get "_2", "_3"... in spec order.
func serverNames(specs []ServerSpec) []string {
	used := make(map[string]bool)
	names := make([]string, len(specs))
	for i, spec := range specs {
		base := filepath.Base(spec.Command)
		if spec.URL != "" {
			base = spec.URL
			if u, err := url.Parse(spec.URL); err == nil {
				base = u.Hostname()
			}
		}
		names[i] = unique(sanitize(base), used)
	}
	return names
}

// toolNames gives each tool (tools[server][i], original names) a name
// unique across the toolbox. A tool keeps its sanitised name unless another
// server offers the same one; then every server's copy is prefixed with its
// server's name. Any clash left (two tools that sanitise alike) is broken
// with a numeric suffix, first come first served in server then tool order,
// so the same servers always yield the same names.
func toolNames(servers []string, tools [][]string) [][]string {
	owners := make(map[string]map[int]bool)
	for si, names := range tools {
		for _, n := range names {
			key := sanitize(n)
			if owners[key] == nil {
				owners[key] = make(map[int]bool)
			}
			owners[key][si] = true
		}
	}
	used := make(map[string]bool)
	out := make([][]string, len(tools))
	for si, names := range tools {
		for _, n := range names {
			name := sanitize(n)
			if len(owners[name]) > 1 {
				name = sanitize(servers[si] + "_" + n)
			}
			out[si] = append(out[si], unique(name, used))
		}
	}
	return out
}
