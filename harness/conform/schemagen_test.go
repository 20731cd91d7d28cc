package conform

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestValidArgsRef proves the generator follows local references, and
// that what it generates validates against the schema.
func TestValidArgsRef(t *testing.T) {
	for _, tc := range []struct{ name, schema string }{
		{"defs", `{"type":"object","$defs":{"P":{"type":"object","properties":{"x":{"type":"integer","minimum":3}},"required":["x"]}},"properties":{"p":{"$ref":"#/$defs/P"}},"required":["p"]}`},
		{"definitions", `{"type":"object","definitions":{"S":{"type":"string","minLength":4}},"properties":{"s":{"$ref":"#/definitions/S"}},"required":["s"]}`},
		{"chain", `{"type":"object","$defs":{"A":{"$ref":"#/$defs/B"},"B":{"enum":["b"]}},"properties":{"a":{"$ref":"#/$defs/A"}},"required":["a"]}`},
		{"nullable", `{"type":"object","$defs":{"C":{"type":"string","enum":["red"]}},"properties":{"c":{"anyOf":[{"$ref":"#/$defs/C"},{"type":"null"}]}},"required":["c"]}`},
		{"escaped pointer", `{"type":"object","$defs":{"a/b~c":{"type":"boolean"}},"properties":{"x":{"$ref":"#/$defs/a~1b~0c"}},"required":["x"]}`},
		{"optional recursion", `{"type":"object","$defs":{"N":{"type":"object","properties":{"name":{"type":"string"},"kids":{"type":"array","items":{"$ref":"#/$defs/N"}}},"required":["name"]}},"properties":{"root":{"$ref":"#/$defs/N"}},"required":["root"]}`},
		{"root recursion through an array", `{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#"}}},"required":["kids"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args, err := validArgs(json.RawMessage(tc.schema), false)
			if err != nil {
				t.Fatalf("validArgs: %v", err)
			}
			rs, err := compileSchema(json.RawMessage(tc.schema))
			if err != nil {
				t.Fatalf("compileSchema: %v", err)
			}
			if err := rs.Validate(args); err != nil {
				t.Errorf("generated %v, which does not validate: %v", args, err)
			}
		})
	}
}

// TestValidArgsRefErrors proves a reference the generator cannot follow
// is an error that says why, and that a cycle ends.
func TestValidArgsRefErrors(t *testing.T) {
	for _, tc := range []struct{ name, schema, want string }{
		{"required recursion", `{"type":"object","$defs":{"N":{"type":"object","properties":{"next":{"$ref":"#/$defs/N"}},"required":["next"]}},"properties":{"n":{"$ref":"#/$defs/N"}},"required":["n"]}`, "requires itself"},
		{"refs in a loop", `{"type":"object","$defs":{"A":{"$ref":"#/$defs/B"},"B":{"$ref":"#/$defs/A"}},"properties":{"a":{"$ref":"#/$defs/A"}},"required":["a"]}`, "requires itself"},
		{"remote", `{"type":"object","properties":{"a":{"$ref":"https://example.com/a.json"}},"required":["a"]}`, "not a local JSON pointer"},
		{"dangling", `{"type":"object","properties":{"a":{"$ref":"#/$defs/missing"}},"required":["a"]}`, "points at nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := validArgs(json.RawMessage(tc.schema), false)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("validArgs = %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// TestInvalidArgsRef proves the invalid-arguments probe sees the type of
// a property behind a reference.
func TestInvalidArgsRef(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","$defs":{"N":{"type":"integer"}},"properties":{"n":{"$ref":"#/$defs/N"}}}`)
	args, why, ok := invalidArgs(schema)
	if !ok || args["n"] != "not a integer" {
		t.Fatalf("invalidArgs = %v, %q, %v; want n of the wrong type", args, why, ok)
	}
	rs, err := compileSchema(schema)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Validate(args) == nil {
		t.Errorf("%v validates, want it rejected", args)
	}
}
