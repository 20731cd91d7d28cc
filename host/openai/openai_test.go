package openai_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/owulveryck/gomcptest/host/openai"
)

func TestContentDecodes(t *testing.T) {
	tests := []struct {
		in   string
		want openai.Content
	}{
		{`"hello"`, openai.Text("hello")},
		{`null`, openai.Content{IsNull: true}},
		{`[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}}]`, openai.Content{Parts: []openai.ContentPart{
			{Type: "text", Text: "a"},
			{Type: "image_url", ImageURL: &openai.ImageURL{URL: "data:image/png;base64,AA=="}},
		}}},
	}
	for _, tt := range tests {
		var got openai.Content
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Fatalf("Unmarshal(%s): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Unmarshal(%s) (-want +got):\n%s", tt.in, diff)
		}
	}
	var c openai.Content
	if err := json.Unmarshal([]byte(`42`), &c); err == nil {
		t.Error("a number decoded as content")
	}
}

func TestContentString(t *testing.T) {
	c := openai.Content{Parts: []openai.ContentPart{{Type: "text", Text: "a"}, {Type: "image_url"}, {Type: "text", Text: "b"}}}
	if got := c.String(); got != "ab" {
		t.Errorf("String() = %q, want the text parts joined", got)
	}
}

func TestContentEncodes(t *testing.T) {
	for in, want := range map[*openai.Content]string{
		{IsNull: true}:         `null`,
		ptr(openai.Text("hi")): `"hi"`,
		{Parts: []openai.ContentPart{{Type: "text", Text: "a"}, {Type: "text", Text: "b"}}}: `[{"type":"text","text":"a"},{"type":"text","text":"b"}]`,
	} {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != want {
			t.Errorf("Marshal(%+v) = %s, want %s", *in, b, want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestStringList(t *testing.T) {
	for in, want := range map[string]openai.StringList{
		`"END"`:     {"END"},
		`["a","b"]`: {"a", "b"},
		`null`:      nil,
		`[]`:        {},
	} {
		var got openai.StringList
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("Unmarshal(%s): %v", in, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Unmarshal(%s) (-want +got):\n%s", in, diff)
		}
	}
	var l openai.StringList
	if err := json.Unmarshal([]byte(`[1]`), &l); err == nil {
		t.Error("a list of numbers decoded as stop sequences")
	}
}

func TestChunkKeepsNullFinishReason(t *testing.T) {
	// Clients tell a chunk that ends the choice by a non-null
	// finish_reason; every other chunk must say null.
	b, err := json.Marshal(openai.Chunk{ID: "c", Object: "chat.completion.chunk", Choices: []openai.ChunkChoice{{}}})
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Choices []map[string]json.RawMessage `json:"choices"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if got := string(m.Choices[0]["finish_reason"]); got != "null" {
		t.Errorf("finish_reason = %s in %s, want null", got, b)
	}
}
