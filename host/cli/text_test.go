package cli

import (
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/owulveryck/gomcptest/host/llm"
)

func TestBlockEnd(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // the complete blocks
	}{
		{"Hello, wor", ""},
		{"Hello.\n", ""},
		{"Hello.\n\nNext", "Hello.\n\n"},
		{"# Title\n\n- a\n- b\n\n- c", "# Title\n\n- a\n- b\n\n"},
		{"```go\nfunc main() {\n\n}\n", ""},
		{"```go\nfunc main() {\n\n}\n```\nafter", "```go\nfunc main() {\n\n}\n```\n"},
		{"Text\n~~~\n\n~~~\n\nmore", "Text\n~~~\n\n~~~\n\n"},
	} {
		if got := tc.in[:blockEnd(tc.in)]; got != tc.want {
			t.Errorf("blockEnd(%q) keeps %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarkdownStreams(t *testing.T) {
	var out strings.Builder
	md, err := newMarkdown(&out, "dark", 80)
	if err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []string{"# Tit", "le\n\nSome **bo", "ld** text.\n", "\n```go\nx := 1\n", "```\n\nEnd"} {
		if err := md.write(chunk); err != nil {
			t.Fatal(err)
		}
		if chunk == "le\n\nSome **bo" && !strings.Contains(out.String(), "Title") {
			t.Errorf("the heading is not shown once its block ended: %q", out.String())
		}
		if chunk == "le\n\nSome **bo" && strings.Contains(out.String(), "Some") {
			t.Errorf("a paragraph is shown before it ended: %q", out.String())
		}
	}
	if err := md.flush(); err != nil {
		t.Fatal(err)
	}
	got := regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(out.String(), "")
	if got == out.String() {
		t.Errorf("the answer %q has no styles", got)
	}
	for _, want := range []string{"Title", "Some bold text.", "x := 1", "End"} {
		if !strings.Contains(got, want) {
			t.Errorf("the rendered answer %q has no %q", got, want)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %q is padded", l)
		}
	}
}

func TestTrim(t *testing.T) {
	user := func(s string) llm.Message { return llm.Message{Role: llm.RoleUser, Parts: []llm.Part{{Text: s}}} }
	call := llm.Message{Role: llm.RoleAssistant, Parts: []llm.Part{{ToolCall: &llm.ToolCall{ID: "1", Name: "t", Arguments: []byte(`{}`)}}}}
	result := llm.Message{Role: llm.RoleTool, Parts: []llm.Part{{ToolResult: &llm.ToolResult{CallID: "1", Name: "t", Content: strings.Repeat("x", 50)}}}}
	answer := llm.Message{Role: llm.RoleAssistant, Parts: []llm.Part{{Text: "done"}}}
	msgs := []llm.Message{user("first"), call, result, answer, user("second"), answer, user("third")}
	for _, tc := range []struct {
		limit, want int
	}{
		{1000, 0}, // everything fits
		{20, 4},   // the first turn, with its call and result, goes whole
		{1, 6},    // the last turn always stays
	} {
		if got := trim(msgs, tc.limit); got != tc.want {
			t.Errorf("trim(limit %d) = %d, want %d", tc.limit, got, tc.want)
		}
	}
}

func TestHistoryRoundTrip(t *testing.T) {
	msgs := []llm.Message{
		{Role: llm.RoleUser, Parts: []llm.Part{{Text: "sleep, twice"}}},
		{Role: llm.RoleAssistant, Parts: []llm.Part{
			{Text: "Calling."},
			{ToolCall: &llm.ToolCall{ID: "c1", Name: "sleep", Arguments: []byte(`{"seconds":1}`), Signature: []byte("sig")}},
			{ToolCall: &llm.ToolCall{ID: "c2", Name: "sleep", Arguments: []byte(`{"seconds":2}`)}},
		}},
		{Role: llm.RoleTool, Parts: []llm.Part{
			{ToolResult: &llm.ToolResult{CallID: "c1", Name: "sleep", Content: "Slept for 1 seconds"}},
			{ToolResult: &llm.ToolResult{CallID: "c2", Name: "sleep", Content: "error: interrupted", IsError: true}},
		}},
		{Role: llm.RoleAssistant, Parts: []llm.Part{{Text: "Done."}}},
	}
	name := t.TempDir() + "/h.json"
	if err := saveHistory(name, "m", msgs); err != nil {
		t.Fatal(err)
	}
	got, err := loadHistory(name)
	if err != nil {
		t.Fatal(err)
	}
	msgs[2].Parts[1].ToolResult.IsError = false // OpenAI's tool messages have no flag: the text says it
	if diff := cmp.Diff(msgs, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if none, err := loadHistory(t.TempDir() + "/none.json"); err != nil || none != nil {
		t.Errorf("a missing file: %v, %v; want an empty conversation", none, err)
	}
}

// lines is a lineReader of fixed lines.
type lines []string

func (l *lines) readLine(_ context.Context, _ string) (string, error) {
	if len(*l) == 0 {
		return "", io.EOF
	}
	s := (*l)[0]
	*l = (*l)[1:]
	return s, nil
}

func (l *lines) close() error { return nil }

func TestReadPrompt(t *testing.T) {
	in := &lines{"one", `two \`, "three", `"""`, "a", "", "  b", `"""`, "last"}
	var got []string
	for {
		p, err := readPrompt(t.Context(), in, "> ")
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p)
	}
	want := []string{"one", "two \nthree", "a\n\n  b", "last"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("prompts (-want +got):\n%s", diff)
	}
}
