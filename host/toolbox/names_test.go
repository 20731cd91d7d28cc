package toolbox

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var validName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$`)

func TestSanitize(t *testing.T) {
	long := strings.Repeat("x", 70)
	tests := []struct{ in, want string }{
		{"echo", "echo"},
		{"read-file", "read-file"},
		{"fs.read/file", "fs_read_file"},
		{"2fa", "_2fa"},
		{"", "_"},
		{"été", "_t_"},
		{"-x", "_-x"},
		{strings.Repeat("a", 64), strings.Repeat("a", 64)},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	a, b := sanitize(long+"a"), sanitize(long+"b")
	if a == b || len(a) != maxName || !strings.HasPrefix(a, "xxxx") || a != sanitize(long+"a") {
		t.Errorf("long names: %q and %q should differ, be %d long, keep their head and be stable", a, b, maxName)
	}
	for _, s := range []string{a, b, "été", "", "2fa"} {
		if !validName.MatchString(sanitize(s)) {
			t.Errorf("sanitize(%q) = %q is not a valid name", s, sanitize(s))
		}
	}
}

func TestServerNames(t *testing.T) {
	specs := []ServerSpec{
		{Command: "../bin/Bash"},
		{Command: "/usr/local/bin/Bash", Args: []string{"-x"}},
		{Command: "View"},
		{URL: "http://localhost:8081/mcp"},
		{URL: "https://localhost/other"},
		{Command: "./my.tool"},
		{Command: "Bash_2"},
	}
	want := []string{"Bash", "Bash_2", "View", "localhost", "localhost_2", "my_tool", "Bash_2_2"}
	if diff := cmp.Diff(want, serverNames(specs)); diff != "" {
		t.Errorf("serverNames (-want +got):\n%s", diff)
	}
}

func TestToolNames(t *testing.T) {
	tests := []struct {
		name    string
		servers []string
		tools   [][]string
		want    [][]string
	}{
		{"distinct", []string{"a", "b"}, [][]string{{"x", "y"}, {"z"}}, [][]string{{"x", "y"}, {"z"}}},
		{"collision prefixes both", []string{"LS", "fs"}, [][]string{{"read", "ls"}, {"read"}}, [][]string{{"LS_read", "ls"}, {"fs_read"}}},
		{"collision after sanitising", []string{"a", "b"}, [][]string{{"f.x"}, {"f_x"}}, [][]string{{"a_f_x"}, {"b_f_x"}}},
		{"same server twice", []string{"a"}, [][]string{{"f.x", "f_x"}}, [][]string{{"f_x", "f_x_2"}}},
		{"prefix meets a plain name", []string{"a", "b", "c"}, [][]string{{"run"}, {"run"}, {"a_run"}}, [][]string{{"a_run"}, {"b_run"}, {"a_run_2"}}},
		{"long names stay valid", []string{strings.Repeat("s", 60), "t"}, [][]string{{strings.Repeat("n", 60)}, {strings.Repeat("n", 60)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := toolNames(tt.servers, tt.tools)
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("toolNames (-want +got):\n%s", diff)
				}
			}
			seen := map[string]bool{}
			for _, names := range got {
				for _, n := range names {
					if !validName.MatchString(n) || seen[n] {
						t.Errorf("name %q is invalid or repeated in %v", n, got)
					}
					seen[n] = true
				}
			}
		})
	}
}
