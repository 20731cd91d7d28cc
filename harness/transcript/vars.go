package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Abstract returns a copy of t in which each value of vars (a temporary
// directory, a home directory) is replaced by the placeholder ${NAME}, in
// the messages and the server line, and whose header lists the names it
// used, so that the transcript reads the same whatever the run. Longer
// values are replaced first, so a directory inside another keeps its own
// name.
func (t *Transcript) Abstract(vars map[string]string) *Transcript {
	c := t.clone()
	names := slices.Collect(maps.Keys(vars))
	slices.SortFunc(names, func(a, b string) int { return len(vars[b]) - len(vars[a]) })
	for _, name := range names {
		if vars[name] == "" {
			continue
		}
		used := c.replace(jsonText(vars[name]), "${"+name+"}")
		if strings.Contains(c.Header.Server, vars[name]) {
			c.Header.Server = strings.ReplaceAll(c.Header.Server, vars[name], "${"+name+"}")
			used = true
		}
		if used && !slices.Contains(c.Header.Vars, name) {
			c.Header.Vars = append(c.Header.Vars, name)
		}
	}
	slices.Sort(c.Header.Vars)
	return c
}

// Expand returns a copy of t in which each placeholder the header lists is
// replaced by its value in vars. A listed name without a value is an
// error; other text that looks like ${NAME} is left alone.
func (t *Transcript) Expand(vars map[string]string) (*Transcript, error) {
	c := t.clone()
	for _, name := range t.Header.Vars {
		v, ok := vars[name]
		if !ok {
			return nil, fmt.Errorf("%s: the transcript uses ${%s}: give its value (--var %s=VALUE)", t.Name, name, name)
		}
		c.replace("${"+name+"}", jsonText(v))
		c.Header.Server = strings.ReplaceAll(c.Header.Server, "${"+name+"}", v)
	}
	return c, nil
}

func (t *Transcript) clone() *Transcript {
	c := *t
	c.Header.Vars = slices.Clone(t.Header.Vars)
	c.Messages = slices.Clone(t.Messages)
	return &c
}

// replace replaces old by new in the JSON of every message, and reports
// whether old was there.
func (t *Transcript) replace(old, new string) bool {
	found := false
	for i := range t.Messages {
		found = found || bytes.Contains(t.Messages[i].JSON, []byte(old))
		t.Messages[i].JSON = bytes.ReplaceAll(t.Messages[i].JSON, []byte(old), []byte(new))
	}
	return found
}

// jsonText returns s as it appears inside a JSON string.
func jsonText(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(b.String()), `"`), `"`)
}
