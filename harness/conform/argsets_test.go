package conform

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestArgumentSets lists the argument sets generated for schemas with
// optional properties, enums and bounds: each set must validate.
func TestArgumentSets(t *testing.T) {
	tests := []struct {
		name, schema string
		want         []string
	}{
		{"required only", `{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`,
			[]string{`{"text":"x"}`}},
		{"optional, enum and bounds", `{"type":"object","properties":{"c":{"type":"number","minimum":-10,"maximum":5},"to":{"type":"string","enum":["k","f"]}},"required":["c"],"additionalProperties":false}`,
			[]string{`{"c":0}`, `{"c":0,"to":"k"}`, `{"c":-10}`, `{"c":5}`, `{"c":0,"to":"f"}`}},
		{"exclusive bounds", `{"type":"object","properties":{"n":{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":10},"x":{"type":"number","exclusiveMinimum":0,"maximum":1}},"required":["n","x"]}`,
			[]string{`{"n":1,"x":1}`, `{"n":9,"x":1}`, `{"n":1,"x":0.5}`}},
		{"boolean and titled choices", `{"type":"object","properties":{"loud":{"type":"boolean"},"size":{"type":"string","oneOf":[{"const":"s","title":"Small"},{"const":"l","title":"Large"}]}}}`,
			[]string{`{}`, `{"loud":false,"size":"s"}`, `{"loud":true}`, `{"size":"s"}`, `{"size":"l"}`}},
		// Only n=2 satisfies it, which no set has.
		{"sets the schema refuses are dropped", `{"type":"object","properties":{"n":{"type":"integer","minimum":1,"maximum":3,"multipleOf":2}},"required":["n"]}`,
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets, err := argumentSets(json.RawMessage(tt.schema))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range sets {
				data, _ := json.Marshal(s)
				got = append(got, string(data))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("argument sets (-want +got):\n%s", diff)
			}
		})
	}
}
