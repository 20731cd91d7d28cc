package edit

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReplace(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		old, new  string
		all       bool
		want      string
		regions   []Region
		errorHave string
	}{
		{"once", "a\nb\nc\n", "b", "B", false, "a\nB\nc\n", []Region{{2, 2}}, ""},
		{"grow", "a\nb\nc\n", "b\n", "x\ny\nz\n", false, "a\nx\ny\nz\nc\n", []Region{{2, 4}}, ""},
		{"delete", "a\nb\nc\n", "b\n", "", false, "a\nc\n", []Region{{2, 2}}, ""},
		{"all", "x a x\nb x\n", "x", "y", true, "y a y\nb y\n", []Region{{1, 1}, {1, 1}, {2, 2}}, ""},
		{"twice", "x\na\nx\n", "x", "y", false, "", nil, "occurs 2 times, at lines 1, 3; add surrounding lines"},
		{"missing", "abc", "d", "e", false, "", nil, "was not found"},
		{"same", "abc", "b", "b", false, "", nil, "the same"},
		{"non-overlapping", "aaa", "aa", "b", true, "ba", []Region{{1, 1}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, regions, err := replace(tt.text, tt.old, tt.new, tt.all)
			if tt.errorHave != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errorHave) {
					t.Fatalf("error = %v, want one containing %q", err, tt.errorHave)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
			if diff := cmp.Diff(tt.regions, regions); diff != "" {
				t.Errorf("regions (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzEdit checks that replace never panics, that a single replacement is
// exactly a splice at the one occurrence, that replace_all agrees with
// strings.ReplaceAll, and that regions lie within the new text.
func FuzzEdit(f *testing.F) {
	f.Add("a\nb\nc\n", "b", "B", false)
	f.Add("x\nx\n", "x", "y", false)
	f.Add("x\nx\n", "x", "y", true)
	f.Add("aaaa", "aa", "a", true)
	f.Add("line\r\nline2\r\n", "line2", "z\n", false)
	f.Add("héllo wörld", "ö", "", false)
	f.Add("", "a", "b", false)
	f.Add("abc", "abc", "abc", false)
	f.Fuzz(func(t *testing.T, text, old, new string, all bool) {
		if old == "" {
			return // the tool creates a file for an empty old_string; replace never sees one
		}
		got, regions, err := replace(text, old, new, all)
		count := strings.Count(text, old)
		switch {
		case old == new, count == 0, count > 1 && !all:
			if err == nil {
				t.Fatalf("replace(%q, %q, %q, %v) succeeded with %d occurrences", text, old, new, all, count)
			}
			return
		case err != nil:
			t.Fatalf("replace(%q, %q, %q, %v): %v", text, old, new, all, err)
		}
		if all {
			if want := strings.ReplaceAll(text, old, new); got != want {
				t.Fatalf("replace_all = %q, want %q", got, want)
			}
		} else {
			i := strings.Index(text, old)
			if want := text[:i] + new + text[i+len(old):]; got != want {
				t.Fatalf("replace = %q, want %q", got, want)
			}
		}
		if len(regions) != count {
			t.Fatalf("%d regions for %d occurrences", len(regions), count)
		}
		lines := strings.Count(got, "\n") + 1
		for _, r := range regions {
			if r.Start < 1 || r.Start > r.End || r.End > lines {
				t.Fatalf("region %+v outside lines 1-%d of %q", r, lines, got)
			}
		}
	})
}
