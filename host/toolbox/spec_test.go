package toolbox

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []ServerSpec
	}{
		{"empty", "", nil},
		{"blanks", "  \t ", nil},
		{"one", "../bin/LS", []ServerSpec{{Command: "../bin/LS"}}},
		{"seed example", "./GlobTool;./dispatch_agent -glob-path ./GlobTool -ls-path ./LS;./Bash", []ServerSpec{
			{Command: "./GlobTool"},
			{Command: "./dispatch_agent", Args: []string{"-glob-path", "./GlobTool", "-ls-path", "./LS"}},
			{Command: "./Bash"},
		}},
		{"empty servers skipped", ";; ./A ;  ; ./B;", []ServerSpec{{Command: "./A"}, {Command: "./B"}}},
		{"spaces around", "   ./A   -x    1   ", []ServerSpec{{Command: "./A", Args: []string{"-x", "1"}}}},
		{"double quotes", `"/opt/my tools/LS" -root "a b"`, []ServerSpec{{Command: "/opt/my tools/LS", Args: []string{"-root", "a b"}}}},
		{"single quotes keep backslash", `./A 'x\y "z"'`, []ServerSpec{{Command: "./A", Args: []string{`x\y "z"`}}}},
		{"escapes in double quotes", `./A "say \"hi\" \\ \n"`, []ServerSpec{{Command: "./A", Args: []string{`say "hi" \ \n`}}}},
		{"backslash outside quotes", `./A a\ b \;`, []ServerSpec{{Command: "./A", Args: []string{"a b", ";"}}}},
		{"quoted semicolons", `./A "x;y" 'p;q';./B`, []ServerSpec{{Command: "./A", Args: []string{"x;y", "p;q"}}, {Command: "./B"}}},
		{"adjacent quotes join", `./A pre"mid"'end'`, []ServerSpec{{Command: "./A", Args: []string{"premidend"}}}},
		{"empty argument", `./A "" x`, []ServerSpec{{Command: "./A", Args: []string{"", "x"}}}},
		{"env", "K=V OTHER_1='a b' ./A X=1", []ServerSpec{{Command: "./A", Args: []string{"X=1"}, Env: []string{"K=V", "OTHER_1=a b"}}}},
		{"env per server", "A=1 ./a;./b", []ServerSpec{{Command: "./a", Env: []string{"A=1"}}, {Command: "./b"}}},
		{"env value with =", "K=a=b ./A", []ServerSpec{{Command: "./A", Env: []string{"K=a=b"}}}},
		{"quoted name is not env", `"K=V" ./A`, []ServerSpec{{Command: "K=V", Args: []string{"./A"}}}},
		{"bad name is not env", "1K=V ./A", []ServerSpec{{Command: "1K=V", Args: []string{"./A"}}}},
		{"pass one", "GEMINI_API_KEY bin/imagen", []ServerSpec{{Command: "bin/imagen", Pass: []string{"GEMINI_API_KEY"}}}},
		{"pass several with env", "GCP_PROJECT LOG=debug GOOGLE_APPLICATION_CREDENTIALS bin/imagen -dir d", []ServerSpec{
			{Command: "bin/imagen", Args: []string{"-dir", "d"}, Env: []string{"LOG=debug"}, Pass: []string{"GCP_PROJECT", "GOOGLE_APPLICATION_CREDENTIALS"}},
		}},
		{"pass per server", "KEY_1 ./a;./b", []ServerSpec{{Command: "./a", Pass: []string{"KEY_1"}}, {Command: "./b"}}},
		{"upper-case command alone", "LS;GlobTool", []ServerSpec{{Command: "LS"}, {Command: "GlobTool"}}},
		{"upper-case command with flags", "LS -root /src", []ServerSpec{{Command: "LS", Args: []string{"-root", "/src"}}}},
		{"pass to upper-case command", "KEY LS -root /src", []ServerSpec{{Command: "LS", Args: []string{"-root", "/src"}, Pass: []string{"KEY"}}}},
		{"pass to last upper-case word", "KEY LS", []ServerSpec{{Command: "LS", Pass: []string{"KEY"}}}},
		{"env then upper-case command", "K=V LS -x", []ServerSpec{{Command: "LS", Args: []string{"-x"}, Env: []string{"K=V"}}}},
		{"lower-case is a command", "gemini_api_key bin/imagen", []ServerSpec{{Command: "gemini_api_key", Args: []string{"bin/imagen"}}}},
		{"quoted upper-case is a command", "'LS' X", []ServerSpec{{Command: "LS", Args: []string{"X"}}}},
		{"digit first is a command", "1KEY bin/x", []ServerSpec{{Command: "1KEY", Args: []string{"bin/x"}}}},
		{"url", "http://localhost:8081/mcp; HTTPS://h.example/x", []ServerSpec{{URL: "http://localhost:8081/mcp"}, {URL: "HTTPS://h.example/x"}}},
		{"url with token", "BASH_TOKEN http://localhost:8081/mcp", []ServerSpec{{URL: "http://localhost:8081/mcp", TokenEnv: "BASH_TOKEN"}}},
		{"utf-8", "./outil 'été'", []ServerSpec{{Command: "./outil", Args: []string{"été"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSpec(tt.in)
			if err != nil {
				t.Fatalf("ParseSpec(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSpec(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

const urlOnly = "a URL server takes no arguments or environment, only the NAME of the variable holding its bearer token"

func TestParseSpecErrors(t *testing.T) {
	tests := []struct {
		in   string
		want SpecError
	}{
		{`./A "abc`, SpecError{Server: 1, Offset: 4, Msg: "unterminated double quote"}},
		{`./A;./B 'x;y`, SpecError{Server: 2, Offset: 8, Msg: "unterminated single quote"}},
		{`./A "x\"`, SpecError{Server: 1, Offset: 4, Msg: "unterminated double quote"}},
		{`./A x\`, SpecError{Server: 1, Offset: 5, Msg: "dangling backslash"}},
		{`./A; K=V`, SpecError{Server: 2, Offset: 5, Msg: "environment without a command"}},
		{`./A;;"" x`, SpecError{Server: 3, Offset: 5, Msg: "empty command"}},
		{`http://h/mcp -x`, SpecError{Server: 1, Offset: 0, Msg: urlOnly}},
		{`K=V http://h/mcp`, SpecError{Server: 1, Offset: 4, Msg: urlOnly}},
		{`KEY OTHER http://h/mcp`, SpecError{Server: 1, Offset: 10, Msg: urlOnly}},
		{`http:///nohost`, SpecError{Server: 1, Offset: 0, Msg: `invalid URL "http:///nohost"`}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			specs, err := ParseSpec(tt.in)
			var got *SpecError
			if !errors.As(err, &got) {
				t.Fatalf("ParseSpec(%q) = %v, %v; want a *SpecError", tt.in, specs, err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("ParseSpec(%q) error (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
