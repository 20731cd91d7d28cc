package conform

import (
	"encoding/json"
	"testing"
)

// TestDialect judges schemas as JSON Schema 2020-12 unless they name
// another dialect.
func TestDialect(t *testing.T) {
	tests := []struct {
		schema string
		bad    bool
	}{
		{`{"type":"object","properties":{"p":{"type":"array","prefixItems":[{"type":"string"}]}}}`, false},
		{`{"type":"object","properties":{"p":{"type":"array","items":[{"type":"string"}]}}}`, true},
		{`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"p":{"items":[{}]}}}`, true},
		{`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"p":{"type":"array","items":[{"type":"string"}]}}}`, false},
		{`{"type":"object","properties":{"n":{"type":"number","minimum":0,"exclusiveMinimum":true}}}`, true},
		{`{"type":"object","properties":{"n":{"type":"number","exclusiveMinimum":0}}}`, false},
		{`{"type":"object","$defs":{"a":{"type":"object","required":true}},"properties":{"a":{"$ref":"#/$defs/a"}}}`, true},
		{`{"type":"object","definitions":{"a":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/a"}}}`, false},
		{`{"type":"object","properties":{"x":{"$schema":"http://json-schema.org/draft-07/schema#","items":[{}]}}}`, false},
	}
	for _, tt := range tests {
		var tree any
		json.Unmarshal([]byte(tt.schema), &tree)
		if err := dialectError(tree, "#"); (err != nil) != tt.bad {
			t.Errorf("%s: %v, want bad %v", tt.schema, err, tt.bad)
		}
	}
}
