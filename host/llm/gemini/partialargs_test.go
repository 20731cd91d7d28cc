package gemini

import (
	"encoding/json"
	"testing"

	"google.golang.org/genai"
)

func TestStreamedCallApply(t *testing.T) {
	str := func(path, s string) *genai.PartialArg { return &genai.PartialArg{JsonPath: path, StringValue: s} }
	num := func(path string, n float64) *genai.PartialArg {
		return &genai.PartialArg{JsonPath: path, NumberValue: &n}
	}
	yes := true
	tests := []struct {
		name     string
		args     map[string]any
		partials []*genai.PartialArg
		want     string // JSON, or "" for an error
	}{
		{"string pieces", nil, []*genai.PartialArg{str("$.a", "Bos"), str("$.a", "ton"), str("$.a", "")}, `{"a":"Boston"}`},
		{"empty string", nil, []*genai.PartialArg{str("$.id", "")}, `{"id":""}`},
		{"nested arrays", nil, []*genai.PartialArg{str("$.r.items[1].name", "b"), str("$.r.items[0].name", "a"), num("$.r.n", 2)},
			`{"r":{"items":[{"name":"a"},{"name":"b"}],"n":2}}`},
		{"gap in array", nil, []*genai.PartialArg{num("$.xs[2]", 1)}, `{"xs":[null,null,1]}`},
		{"bracket key", nil, []*genai.PartialArg{str("$['a b'].c", "x"), str(`$["q"]`, "y")}, `{"a b":{"c":"x"},"q":"y"}`},
		{"bool and null", nil, []*genai.PartialArg{{JsonPath: "$.ok", BoolValue: &yes}, {JsonPath: "$.none", NULLValue: "NULL_VALUE"}}, `{"none":null,"ok":true}`},
		{"initial args kept", map[string]any{"k": "v"}, []*genai.PartialArg{str("$.a", "b")}, `{"a":"b","k":"v"}`},
		{"object then array", nil, []*genai.PartialArg{str("$.a.b", "x"), str("$.a[0]", "y")}, ""},
		{"array then object", nil, []*genai.PartialArg{str("$.a[0]", "x"), str("$.a.b", "y")}, ""},
		{"root replaced", nil, []*genai.PartialArg{str("$", "x")}, ""},
		{"no root", nil, []*genai.PartialArg{str("a.b", "x")}, ""},
		{"bad index", nil, []*genai.PartialArg{str("$.a[x]", "x")}, ""},
		{"huge index", nil, []*genai.PartialArg{str("$.a[99999999]", "x")}, ""},
		{"unclosed", nil, []*genai.PartialArg{str("$.a[0", "x")}, ""},
		{"empty name", nil, []*genai.PartialArg{str("$..a", "x")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newStreamedCall(&genai.FunctionCall{Name: "f", Args: tt.args}, nil)
			err := c.apply(tt.partials)
			if tt.want == "" {
				if err == nil {
					t.Errorf("no error; args %v", c.args)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(c.args)
			if string(got) != tt.want {
				t.Errorf("args %s, want %s", got, tt.want)
			}
		})
	}
}
