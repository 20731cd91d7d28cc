package fakegemini

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file builds the arguments of a call from the function's schema and
// the words of the prompt: each value the prompt offers (a quoted string,
// a path, a number, a proper noun, an enum value it names) fills one
// field; a required field the prompt says nothing for gets a placeholder
// of its type.

// argSchema is what the offline model reads of a JSON Schema, or of the
// OpenAPI subset of a declaration's parameters.
type argSchema struct {
	types    []string // lowercased, without "null"
	props    []prop   // in the order declared
	required []string
	enum     []any
	fallback any // default, else example, else the first of examples
	items    *argSchema
	minimum  *float64
	minItems int
}

type prop struct {
	name   string
	schema *argSchema
}

// parseSchema reads raw leniently: what it cannot read is left out.
func parseSchema(raw json.RawMessage) *argSchema {
	s := &argSchema{}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return s
	}
	var one string
	var many []string
	if json.Unmarshal(m["type"], &one) == nil {
		many = []string{one}
	} else {
		json.Unmarshal(m["type"], &many)
	}
	for _, t := range many {
		if t = strings.ToLower(t); t != "" && t != "null" {
			s.types = append(s.types, t)
		}
	}
	s.props = orderedProps(m["properties"])
	var order []string
	if json.Unmarshal(m["propertyOrdering"], &order) == nil && len(order) > 0 {
		slices.SortStableFunc(s.props, func(a, b prop) int {
			ia, ib := slices.Index(order, a.name), slices.Index(order, b.name)
			if ia < 0 {
				ia = len(order)
			}
			if ib < 0 {
				ib = len(order)
			}
			return ia - ib
		})
	}
	json.Unmarshal(m["required"], &s.required)
	json.Unmarshal(m["enum"], &s.enum)
	for _, k := range []string{"default", "example"} {
		if v, ok := m[k]; ok && json.Unmarshal(v, &s.fallback) == nil && s.fallback != nil {
			break
		}
	}
	var examples []any
	if s.fallback == nil && json.Unmarshal(m["examples"], &examples) == nil && len(examples) > 0 {
		s.fallback = examples[0]
	}
	if len(m["items"]) > 0 {
		s.items = parseSchema(m["items"])
	}
	var min float64
	if json.Unmarshal(m["minimum"], &min) == nil {
		s.minimum = &min
	}
	s.minItems = lenientInt(m["minItems"]) // the OpenAPI subset writes int64 as a string
	if len(s.types) == 0 && len(s.props) == 0 {
		var alts []json.RawMessage
		json.Unmarshal(m["anyOf"], &alts)
		if len(alts) == 0 {
			json.Unmarshal(m["oneOf"], &alts)
		}
		for _, a := range alts {
			if alt := parseSchema(a); len(alt.types) > 0 || len(alt.props) > 0 {
				alt.fallback = cmpAny(s.fallback, alt.fallback)
				return alt
			}
		}
	}
	return s
}

func cmpAny(a, b any) any {
	if a != nil {
		return a
	}
	return b
}

func lenientInt(raw json.RawMessage) int {
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return n
	}
	var s string
	json.Unmarshal(raw, &s)
	n, _ = strconv.Atoi(s)
	return n
}

// orderedProps reads "properties" keeping the order of the keys.
func orderedProps(raw json.RawMessage) []prop {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var out []prop
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return out
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out
		}
		out = append(out, prop{name: t.(string), schema: parseSchema(v)})
	}
	return out
}

// kind is the schema's type, inferred when it says none.
func (s *argSchema) kind() string {
	switch {
	case len(s.types) > 0:
		return s.types[0]
	case len(s.props) > 0:
		return "object"
	case s.items != nil:
		return "array"
	}
	return ""
}

func (s *argSchema) has(name string) bool {
	return slices.ContainsFunc(s.props, func(p prop) bool { return p.name == name })
}

// facts are the values a clause offers for arguments, each used once.
type facts struct {
	quoted  []string
	paths   []string // resolved against the working directory
	numbers []float64
	nouns   []string
	text    string // the clause without the words that name the tool
	lower   string // text, lowercased, for enum values and flags
}

var (
	asksFor   = regexp.MustCompile(`(?i)\b(?:please\s+)?(?:use|call|invoke|run|with|using|via)\s+(?:the\s+)?$`)
	toolAfter = regexp.MustCompile(`(?i)^\s+tool\b`)
	linkAfter = regexp.MustCompile(`(?i)^(?:\s+tool\b)?(?:\s+(?:to|for|on|with|about|in)\b)?`)
)

// nameAt returns where text names the function name as a word, ignoring
// case, or -1.
func nameAt(text, name string) int {
	lower, n := strings.ToLower(text), strings.ToLower(name)
	word := func(r rune) bool {
		return r == '_' || r == '.' || r == ':' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	for from := 0; ; {
		i := strings.Index(lower[from:], n)
		if i < 0 {
			return -1
		}
		i += from
		before, _ := utf8.DecodeLastRuneInString(lower[:i])
		rest := lower[i+len(n):]
		if strings.HasPrefix(rest, ".") && (len(rest) == 1 || unicode.IsSpace(rune(rest[1]))) {
			rest = "" // a full stop, not a part of the name
		}
		after, _ := utf8.DecodeRuneInString(rest)
		if (i == 0 || !word(before)) && (rest == "" || !word(after)) {
			return i
		}
		from = i + len(n)
	}
}

// asks reports whether the clause asks for the function name: it names
// it where the name cannot be a plain word (get_weather, GlobTool, LS), or
// after "use", "call", "with"... or before "tool".
func asks(c *clause, name string) bool {
	i := nameAt(c.plain, name)
	if i < 0 {
		return false
	}
	return distinctive(name) || asksFor.MatchString(c.plain[:i]) || toolAfter.MatchString(c.plain[i+len(name):])
}

// distinctive reports whether a function name cannot be an English word:
// it holds _ . : - or a digit, or a capital after its first letter.
func distinctive(name string) bool {
	for i, r := range name {
		if strings.ContainsRune("_.:-", r) || unicode.IsDigit(r) || (i > 0 && unicode.IsUpper(r)) {
			return true
		}
	}
	return false
}

// newFacts collects what clause c offers for the arguments of the
// function tool, leaving out the words that name it.
func newFacts(c clause, tool, wd string) *facts {
	text, plain := c.text, c.plain
	if i := nameAt(plain, tool); i >= 0 && tool != "" {
		start, end := i, i+len(tool)
		if m := asksFor.FindStringIndex(plain[:start]); m != nil {
			start = m[0]
		}
		end += len(linkAfter.FindString(plain[end:]))
		text, plain = text[:start]+" "+text[end:], plain[:start]+" "+plain[end:]
	}
	f := &facts{text: strings.TrimRight(strings.Join(strings.Fields(text), " "), ".?!")}
	f.lower = strings.ToLower(f.text)
	for _, q := range quotes(text) {
		f.quoted = append(f.quoted, q.text)
	}
	var noun []string
	endNoun := func() {
		if len(noun) > 0 {
			f.nouns = append(f.nouns, strings.Join(noun, " "))
			noun = nil
		}
	}
	for _, field := range fields(plain) {
		t := strings.Trim(field, ",;:!?()[]{}<>\"'“”")
		if len(t) > 1 && t != ".." {
			t = strings.TrimRight(t, ".")
		}
		if t == "" {
			endNoun()
			continue
		}
		if isPath(t) {
			endNoun()
			f.paths = append(f.paths, resolve(t, wd))
			continue
		}
		if v, err := strconv.ParseFloat(t, 64); err == nil {
			endNoun()
			f.numbers = append(f.numbers, v)
			continue
		}
		r, _ := utf8.DecodeRuneInString(t)
		switch {
		case !unicode.IsUpper(r):
			endNoun()
		case len(noun) > 0 || !commonWord(t):
			noun = append(noun, t)
		}
		if strings.TrimRight(field, ",;:!?.)\"'”") != field {
			endNoun() // punctuation ends a name
		}
	}
	endNoun()
	for _, q := range f.quoted {
		if !strings.ContainsAny(q, " \t\n") && isPath(q) {
			f.paths = append(f.paths, resolve(q, wd))
		}
	}
	return f
}

// commonWord reports whether a capitalised word is one that starts
// sentences and requests rather than a name.
func commonWord(w string) bool {
	switch strings.ToLower(strings.TrimSuffix(w, "'s")) {
	case "i", "a", "an", "the", "use", "call", "please", "run", "show", "get", "what", "where",
		"when", "who", "how", "why", "which", "find", "list", "tell", "give", "can", "could",
		"would", "will", "should", "and", "then", "with", "for", "in", "on", "to", "me", "my",
		"is", "are", "do", "does", "hello", "hi", "hey", "ok", "okay", "thanks", "now", "also",
		"check", "verify", "read", "create", "write", "make", "look", "search", "sleep", "wait",
		"execute", "invoke", "using", "via", "of", "at", "from", "by", "it", "this", "that",
		"let", "yes", "no", "view", "open", "fetch":
		return true
	}
	return false
}

// mentions reports whether the clause holds word as a word of its own.
func (f *facts) mentions(word string) bool {
	return word != "" && nameAt(f.lower, word) >= 0
}

// buildArgs returns the arguments of a call to d: given, under the names
// the schema uses, then every required field, and, when optional is set,
// the optional fields the prompt offers a value for. With a schema that
// declares no properties, given goes as it is.
func buildArgs(d *FunctionDeclaration, given map[string]any, f *facts, optional bool) map[string]any {
	raw := d.ParametersJSONSchema
	if len(raw) == 0 {
		raw = d.Parameters
	}
	s := parseSchema(raw)
	args := make(map[string]any, len(given))
	if len(s.props) == 0 {
		for k, v := range given {
			args[k] = v
		}
		return args
	}
	var left []string
	for k, v := range given {
		if s.has(k) {
			args[k] = v
		} else {
			left = append(left, k)
		}
	}
	if len(given) == 1 && len(left) == 1 && len(s.props) == 1 {
		args[s.props[0].name] = given[left[0]] // the only field, whatever its name
	}
	b := &builder{f: f, optional: optional}
	return b.object(s, args)
}

// builder hands out the facts, each once.
type builder struct {
	f                          *facts
	quoted, paths, nums, nouns int
	tookText                   bool // the clause's text went into a field
	optional                   bool // fill the optional fields too
}

func next[T any](list []T, i *int) (T, bool) {
	var zero T
	if *i >= len(list) {
		return zero, false
	}
	*i++
	return list[*i-1], true
}

// object fills the fields of s missing from args, the required first.
func (b *builder) object(s *argSchema, args map[string]any) map[string]any {
	if args == nil {
		args = map[string]any{}
	}
	passes := []bool{true}
	if b.optional {
		passes = append(passes, false)
	}
	for _, required := range passes {
		for _, p := range s.props {
			if _, ok := args[p.name]; ok || slices.Contains(s.required, p.name) != required {
				continue
			}
			if v, ok := b.value(p.name, p.schema, required); ok {
				args[p.name] = v
			}
		}
	}
	return args
}

// value finds the value of field name; ok is false for an optional
// field the prompt offers nothing for.
func (b *builder) value(name string, s *argSchema, required bool) (any, bool) {
	lname := strings.ToLower(name)
	if len(s.enum) > 0 {
		for _, e := range s.enum {
			if str, ok := e.(string); ok && b.f.mentions(strings.ToLower(str)) {
				return e, true
			}
		}
		if required {
			return cmpAny(s.fallback, s.enum[0]), true
		}
		return nil, false
	}
	switch s.kind() {
	case "number", "integer":
		if v, ok := next(b.f.numbers, &b.nums); ok {
			if s.kind() == "integer" {
				v = math.Round(v)
			}
			return v, true
		}
		if !required {
			return nil, false
		}
		if n, ok := s.fallback.(float64); ok {
			return n, true
		}
		if s.minimum != nil {
			return *s.minimum, true
		}
		return 0.0, true
	case "boolean":
		if b.f.mentions(strings.ReplaceAll(lname, "_", " ")) {
			return true, true
		}
		if !required {
			return nil, false
		}
		v, _ := s.fallback.(bool)
		return v, true
	case "array":
		item := s.items
		if item == nil {
			item = &argSchema{types: []string{"string"}}
		}
		var list []any
		if k := item.kind(); len(item.enum) == 0 && (k == "string" || k == "" || k == "number" || k == "integer") {
			for len(list) < 16 {
				v, ok := b.value(name, item, false)
				if !ok {
					break
				}
				list = append(list, v)
			}
		}
		if len(list) > 0 {
			return list, true
		}
		if !required {
			return nil, false
		}
		if s.minItems > 0 {
			v, _ := b.value(name, item, true)
			return []any{v}, true
		}
		return []any{}, true
	case "object":
		if !required {
			return nil, false
		}
		return b.object(s, nil), true
	}
	return b.text(lname, s, required)
}

// text finds a string: a path for a field about paths, the request for a
// field that takes one (query, prompt, command...), else a quoted string
// or a proper noun; a required field with none gets the rest of a short
// prompt, else a placeholder.
func (b *builder) text(lname string, s *argSchema, required bool) (any, bool) {
	pathish := strings.Contains(lname, "path") || strings.Contains(lname, "file") ||
		strings.Contains(lname, "dir") || strings.Contains(lname, "folder")
	if pathish {
		if p, ok := next(b.f.paths, &b.paths); ok {
			return p, true
		}
	}
	if q, ok := next(b.f.quoted, &b.quoted); ok {
		return q, true
	}
	if queryish(lname) && !b.tookText && b.f.text != "" {
		b.tookText = true
		return b.f.text, true
	}
	if n, ok := next(b.f.nouns, &b.nouns); ok && !pathish {
		return n, true
	}
	if !required {
		return nil, false
	}
	if v, ok := s.fallback.(string); ok {
		return v, true
	}
	if !b.tookText && b.f.text != "" && len(strings.Fields(b.f.text)) <= 3 {
		b.tookText = true
		return b.f.text, true
	}
	return "example", true
}

// queryish reports whether a field takes a request in words.
func queryish(name string) bool {
	switch name {
	case "query", "q", "prompt", "text", "message", "question", "input", "request", "task",
		"search", "command", "cmd", "script", "code", "instruction", "instructions", "content":
		return true
	}
	return false
}
