package conform

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// compileSchema decodes and resolves a JSON Schema, so that it can
// validate instances. It reports why the schema is not valid.
func compileSchema(raw json.RawMessage) (*jsonschema.Resolved, error) {
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	if err := checkTypes(tree, "#"); err != nil {
		return nil, err
	}
	var s jsonschema.Schema
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return s.Resolve(&jsonschema.ResolveOptions{ValidateDefaults: true})
}

// validArgs builds arguments that satisfy the input schema, as small as
// possible: required properties only, the smallest allowed values. With
// long, numbers are larger (up to 10), to make a tool such as sleep run
// long enough to be cancelled. Local references ("#/$defs/point") are
// followed.
func validArgs(raw json.RawMessage, long bool) (map[string]any, error) {
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		return nil, err
	}
	g := &generator{root: schema, long: long}
	v, err := g.generate(schema, 0)
	if err != nil {
		return nil, err
	}
	args, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the schema does not describe an object")
	}
	return args, nil
}

func schemaType(s map[string]any) string {
	switch t := s["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if x, ok := x.(string); ok && x != "null" {
				return x
			}
		}
	}
	if _, ok := s["properties"]; ok {
		return "object"
	}
	return ""
}

// maxRefs bounds a chain of references, so that "$ref"s that only point
// at each other cannot loop.
const maxRefs = 32

// deref follows the "$ref" of s, if any, to the schema it names in root.
// Only local references (a JSON pointer after "#") are followed: the
// checker fetches nothing.
func deref(root, s map[string]any) (map[string]any, error) {
	for range maxRefs {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s, nil
		}
		target, err := pointer(root, ref)
		if err != nil {
			return nil, err
		}
		s = target
	}
	return nil, fmt.Errorf("more than %d $ref in a row: a reference cycle", maxRefs)
}

// pointer resolves a local reference, "#" or "#/json/pointer", in root.
func pointer(root map[string]any, ref string) (map[string]any, error) {
	rest, ok := strings.CutPrefix(ref, "#")
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		return nil, fmt.Errorf("$ref %q is not a local JSON pointer, which the generator does not follow", ref)
	}
	var cur any = root
	for _, tok := range strings.Split(rest, "/")[1:] {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		var next any
		switch c := cur.(type) {
		case map[string]any:
			next = c[tok]
		case []any:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(c) {
				next = c[i]
			}
		}
		if next == nil {
			return nil, fmt.Errorf("$ref %q points at nothing", ref)
		}
		cur = next
	}
	s, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("$ref %q does not point at a schema", ref)
	}
	return s, nil
}

// A generator builds a value valid against a schema within root.
type generator struct {
	root map[string]any
	long bool
	// expanding holds the references being generated, outermost first: a
	// reference met again within itself has no finite instance.
	expanding []string
}

func (g *generator) generate(s map[string]any, depth int) (any, error) {
	if depth > 8 {
		return nil, fmt.Errorf("the schema is too deep to generate a value")
	}
	if c, ok := s["const"]; ok {
		return c, nil
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0], nil
	}
	if d, ok := s["default"]; ok && !g.long {
		return d, nil
	}
	if ref, ok := s["$ref"].(string); ok {
		if slices.Contains(g.expanding, ref) {
			return nil, fmt.Errorf("$ref %q requires itself: no finite value satisfies it", ref)
		}
		target, err := pointer(g.root, ref)
		if err != nil {
			return nil, err
		}
		g.expanding = append(g.expanding, ref)
		defer func() { g.expanding = g.expanding[:len(g.expanding)-1] }()
		return g.generate(target, depth+1)
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		if alts, ok := s[k].([]any); ok && len(alts) > 0 {
			if alt, ok := alts[0].(map[string]any); ok {
				return g.generate(alt, depth+1)
			}
		}
	}
	num := func(integer bool) any {
		lo, hi := math.Inf(-1), math.Inf(1)
		if m, ok := s["minimum"].(float64); ok {
			lo = m
		}
		if m, ok := s["exclusiveMinimum"].(float64); ok {
			lo = m + 1
		}
		if m, ok := s["maximum"].(float64); ok {
			hi = m
		}
		if m, ok := s["exclusiveMaximum"].(float64); ok {
			hi = m - 1
		}
		v := 0.0
		if g.long {
			v = 10
		}
		v = math.Max(lo, math.Min(hi, v))
		if integer {
			return int64(math.Ceil(v))
		}
		return v
	}
	switch schemaType(s) {
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for _, name := range req {
			name, _ := name.(string)
			ps, _ := props[name].(map[string]any)
			if ps == nil {
				ps = map[string]any{}
			}
			v, err := g.generate(ps, depth+1)
			if err != nil {
				return nil, err
			}
			out[name] = v
		}
		return out, nil
	case "array":
		n := 0
		if m, ok := s["minItems"].(float64); ok {
			n = int(m)
		}
		items, _ := s["items"].(map[string]any)
		out := []any{}
		for range n {
			v, err := g.generate(items, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case "string":
		n := 1
		if m, ok := s["minLength"].(float64); ok && int(m) > n {
			n = int(m)
		}
		switch s["format"] {
		case "uri":
			return "file:///conform", nil
		case "date-time":
			return "2025-01-01T00:00:00Z", nil
		case "email":
			return "conform@example.com", nil
		}
		return strings.Repeat("x", n), nil
	case "integer":
		return num(true), nil
	case "number":
		return num(false), nil
	case "boolean":
		return false, nil
	case "null":
		return nil, nil
	}
	return "x", nil
}

// invalidArgs builds arguments that the input schema rejects, in the
// least harmful way: a missing required property, else a property of the
// wrong type, else an unexpected property. ok is false when the schema
// accepts anything.
func invalidArgs(raw json.RawMessage) (args map[string]any, why string, ok bool) {
	var s map[string]any
	if json.Unmarshal(raw, &s) != nil {
		return nil, "", false
	}
	props, _ := s["properties"].(map[string]any)
	if req, _ := s["required"].([]any); len(req) > 0 {
		return map[string]any{}, fmt.Sprintf("without the required %v", req[0]), true
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ps, _ := props[name].(map[string]any)
		ps, err := deref(s, ps)
		if ps == nil || err != nil {
			continue
		}
		if wrong, ok := wrongValue(schemaType(ps)); ok {
			return map[string]any{name: wrong}, fmt.Sprintf("with %s of the wrong type", name), true
		}
	}
	if ap, ok := s["additionalProperties"].(bool); ok && !ap {
		return map[string]any{"conform_unexpected": 1}, "with an unexpected property", true
	}
	return nil, "", false
}

func wrongValue(typ string) (any, bool) {
	switch typ {
	case "string":
		return 12345, true
	case "integer", "number", "boolean", "object", "array":
		return "not a " + typ, true
	}
	return nil, false
}

// jsonTypes are the values the "type" keyword allows.
var jsonTypes = map[string]bool{"null": true, "boolean": true, "object": true, "array": true, "number": true, "string": true, "integer": true}

// checkTypes finds "type" keywords that name no JSON type, which the
// resolver lets through.
func checkTypes(v any, at string) error {
	s, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var types []any
	switch t := s["type"].(type) {
	case string:
		types = []any{t}
	case []any:
		types = t
	}
	for _, t := range types {
		if name, _ := t.(string); !jsonTypes[name] {
			return fmt.Errorf("%s: type %v is not a JSON type", at, t)
		}
	}
	return eachSubschema(s, at, checkTypes)
}

// eachSubschema calls f on each direct subschema of s, with its place,
// and stops at the first error.
func eachSubschema(s map[string]any, at string, f func(sub any, at string) error) error {
	for _, k := range []string{"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"} {
		m, _ := s[k].(map[string]any)
		for name, sub := range m {
			if err := f(sub, at+"/"+k+"/"+name); err != nil {
				return err
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"} {
		if err := f(s[k], at+"/"+k); err != nil {
			return err
		}
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf", "prefixItems"} {
		list, _ := s[k].([]any)
		for i, sub := range list {
			if err := f(sub, fmt.Sprintf("%s/%s/%d", at, k, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxArgumentSets bounds how many argument sets argumentSets returns.
const maxArgumentSets = 12

// argumentSets builds argument sets that satisfy the input schema, to
// reach more of a tool's paths than validArgs alone: the smallest set
// (validArgs), one with every property present, one per enum value of a
// property, and one per bound of a number (minimum, maximum, just inside
// an exclusive bound) or boolean. Sets the schema rejects are dropped,
// as are repeats; the smallest set comes first. When the schema does not
// compile, only the smallest set is returned.
func argumentSets(raw json.RawMessage) ([]map[string]any, error) {
	base, err := validArgs(raw, false)
	if err != nil {
		return nil, err
	}
	var schema map[string]any
	json.Unmarshal(raw, &schema)
	props, _ := schema["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	with := func(name string, v any) map[string]any {
		set := maps.Clone(base)
		set[name] = v
		return set
	}
	full := maps.Clone(base)
	var variants []map[string]any
	for _, name := range names {
		ps, _ := props[name].(map[string]any)
		if _, ok := full[name]; !ok {
			if v, ok := propertyValue(schema, name); ok {
				full[name] = v
			}
		}
		for _, v := range propertyVariants(ps) {
			variants = append(variants, with(name, v))
		}
	}
	sets := append([]map[string]any{base, full}, variants...)
	rs, err := compileSchema(raw)
	if err != nil {
		return sets[:1], nil
	}
	var out []map[string]any
	seen := map[string]bool{}
	for _, set := range sets {
		data, _ := json.Marshal(set)
		var v any
		json.Unmarshal(data, &v)
		if seen[string(data)] || rs.Validate(v) != nil {
			continue
		}
		seen[string(data)] = true
		out = append(out, set)
		if len(out) == maxArgumentSets {
			break
		}
	}
	return out, nil
}

// propertyValue generates a value for one property of an object schema,
// as validArgs would if the property were required; the schema's
// definitions come along, for the references of the property.
func propertyValue(schema map[string]any, name string) (any, bool) {
	props, _ := schema["properties"].(map[string]any)
	one := map[string]any{"type": "object", "properties": map[string]any{name: props[name]}, "required": []any{name}}
	for _, k := range []string{"$defs", "definitions"} {
		if d, ok := schema[k]; ok {
			one[k] = d
		}
	}
	data, _ := json.Marshal(one)
	args, err := validArgs(data, false)
	if err != nil {
		return nil, false
	}
	v, ok := args[name]
	return v, ok
}

// propertyVariants returns the values of a property schema worth trying
// beyond the smallest: each enum or const choice, each bound of a number,
// true for a boolean.
func propertyVariants(ps map[string]any) []any {
	var vs []any
	if e, ok := ps["enum"].([]any); ok {
		vs = append(vs, e...)
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		alts, _ := ps[k].([]any)
		for _, alt := range alts {
			if alt, ok := alt.(map[string]any); ok {
				if c, ok := alt["const"]; ok {
					vs = append(vs, c)
				}
			}
		}
	}
	switch typ := schemaType(ps); typ {
	case "boolean":
		vs = append(vs, true)
	case "integer", "number":
		lo, hi := math.Inf(-1), math.Inf(1)
		for _, k := range []string{"minimum", "exclusiveMinimum"} {
			if m, ok := ps[k].(float64); ok {
				lo = math.Max(lo, m)
			}
		}
		for _, k := range []string{"maximum", "exclusiveMaximum"} {
			if m, ok := ps[k].(float64); ok {
				hi = math.Min(hi, m)
			}
		}
		for _, k := range []string{"minimum", "maximum"} {
			if m, ok := ps[k].(float64); ok {
				vs = append(vs, m)
			}
		}
		// Just inside an exclusive bound: the next integer, or a step
		// of at most 1 that stays below the other bound.
		if m, ok := ps["exclusiveMinimum"].(float64); ok {
			if typ == "integer" {
				vs = append(vs, math.Floor(m)+1)
			} else {
				vs = append(vs, m+math.Min(1, (hi-m)/2))
			}
		}
		if m, ok := ps["exclusiveMaximum"].(float64); ok {
			if typ == "integer" {
				vs = append(vs, math.Ceil(m)-1)
			} else {
				vs = append(vs, m-math.Min(1, (m-lo)/2))
			}
		}
	}
	return vs
}
