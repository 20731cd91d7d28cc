package toolkit

import (
	"strings"
	"testing"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		name, text string
		limit      int
		hint       string
		want       string
	}{
		{"short", "hello", 10, "h", "hello"},
		{"exact", "hello", 5, "h", "hello"},
		{"no limit", "hello", 0, "h", "hello"},
		{"cut", "hello world", 5, "use offset=5 to read on",
			"hello\n[output truncated: showed the first 5 of 11 characters; use offset=5 to read on]"},
		{"cut after newline", "line1\nline2\n", 6, "",
			"line1\n[output truncated: showed the first 6 of 12 characters]"},
		{"runes, not bytes", "héllo wörld", 4, "",
			"héll\n[output truncated: showed the first 4 of 11 characters]"},
		{"multibyte fits", "ééé", 3, "", "ééé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Truncate(tt.text, tt.limit, tt.hint); got != tt.want {
				t.Errorf("Truncate(%q, %d) =\n%q\nwant\n%q", tt.text, tt.limit, got, tt.want)
			}
		})
	}
}

func TestTruncateLarge(t *testing.T) {
	text := strings.Repeat("x", 2*DefaultMaxOutput)
	got := Truncate(text, DefaultMaxOutput, "")
	if !strings.HasPrefix(got, strings.Repeat("x", DefaultMaxOutput)+"\n[output truncated") {
		t.Errorf("output does not keep the first %d characters then the note", DefaultMaxOutput)
	}
	if strings.Count(got, "x") != DefaultMaxOutput {
		t.Errorf("kept %d characters, want %d", strings.Count(got, "x"), DefaultMaxOutput)
	}
}
