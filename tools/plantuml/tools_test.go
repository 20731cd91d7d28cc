package plantuml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

func connect(t *testing.T, register func(*mcp.Server)) *mcp.ClientSession {
	t.Helper()
	s := mcp.NewServer(&mcp.Implementation{Name: "plantuml", Version: "v0"}, nil)
	register(s)
	return tooltest.Connect(t, s, nil)
}

func call(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) (string, map[string]any, bool) {
	t.Helper()
	res := tooltest.Call(t, cs, name, args)
	m, _ := res.StructuredContent.(map[string]any)
	return tooltest.Text(t, res), m, res.IsError
}

func TestURLRoundTrip(t *testing.T) {
	cs := connect(t, func(s *mcp.Server) { Register(s, &Options{Server: "http://plantuml.example/plantuml/"}) })
	src := "@startuml\nBob -> Alice : hello ✓\n@enduml\n"
	text, out, isErr := call(t, cs, "plantuml", map[string]any{"plantuml_code": src, "output_format": "png"})
	if isErr {
		t.Fatal(text)
	}
	url, _ := out["url"].(string)
	if want := "http://plantuml.example/plantuml/png/" + Encode(src); url != want {
		t.Errorf("url = %q, want %q", url, want)
	}
	if !strings.HasPrefix(text, url+"\n") || !strings.Contains(text, "syntax not checked") || out["syntax_checked"] != false {
		t.Errorf("answer does not give the URL and say the syntax was not checked: %q %v", text, out)
	}
	text, out, isErr = call(t, cs, "decode_plantuml_url", map[string]any{"url": url})
	if isErr || text != src || out["plantuml_code"] != src {
		t.Errorf("decode = %q, %v (isError %v), want the source back", text, out, isErr)
	}
	for _, bad := range []map[string]any{
		{"plantuml_code": "@startuml\n@enduml", "output_format": "pdf"},
		{"plantuml_code": " "},
	} {
		if text, _, isErr := call(t, cs, "plantuml", bad); !isErr {
			t.Errorf("%v accepted: %s", bad, text)
		}
	}
	if text, _, isErr := call(t, cs, "decode_plantuml_url", map[string]any{"url": "http://x/svg/not*plantuml"}); !isErr || !strings.Contains(text, "outside PlantUML's alphabet") {
		t.Errorf("bad URL: isError %v, %q", isErr, text)
	}
}

func TestSyntaxErrorBeforeURL(t *testing.T) {
	p := processor(t)
	cs := connect(t, func(s *mcp.Server) { Register(s, &Options{Processor: p}) })
	text, out, isErr := call(t, cs, "plantuml", map[string]any{"plantuml_code": "@startuml\nA -> B\nfoo bar baz(\n@enduml"})
	if !isErr || !strings.Contains(text, "syntax error at line 3: Syntax Error?\n3 | foo bar baz(") || strings.Contains(text, "http") {
		t.Errorf("isError %v, %q; want the error at line 3 and no URL", isErr, text)
	}
	_, out, isErr = call(t, cs, "plantuml", map[string]any{"plantuml_code": "@startuml\nA -> B\n@enduml"})
	if isErr || out["syntax_checked"] != true || out["diagram_type"] != "SEQUENCE" || !strings.HasPrefix(out["url"].(string), DefaultServer+"/svg/") {
		t.Errorf("valid diagram: %v", out)
	}
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.puml", "@startuml\nclass Car\nCar *-- Wheel\n@enduml\n")
	bad := write("bad.pu", "@startuml\nA -> B\n\nfoo bar baz(\n@enduml\n")
	txt := write("notes.txt", "@startuml\n@enduml\n")
	policy, _ := toolkit.NewPolicy([]string{dir})

	noProcessor := connect(t, func(s *mcp.Server) { RegisterCheck(s, &CheckOptions{Policy: policy}) })
	if text, _, isErr := call(t, noProcessor, "plantuml_check", map[string]any{"file_path": good}); !isErr || !strings.Contains(text, "install Debian's plantuml") {
		t.Errorf("without PlantUML: isError %v, %q", isErr, text)
	}
	for _, tt := range []struct{ path, want string }{
		{txt, "is not a PlantUML file"},
		{"/etc/x.puml", "outside the allowed roots"},
		{"rel.puml", "path is relative"},
	} {
		if text, _, isErr := call(t, noProcessor, "plantuml_check", map[string]any{"file_path": tt.path}); !isErr || !strings.Contains(text, tt.want) {
			t.Errorf("%s: isError %v, %q; want %q", tt.path, isErr, text, tt.want)
		}
	}

	cs := connect(t, func(s *mcp.Server) { RegisterCheck(s, &CheckOptions{Policy: policy, Processor: processor(t)}) })
	text, out, isErr := call(t, cs, "plantuml_check", map[string]any{"file_path": good})
	if isErr || out["valid"] != true || text != "valid: "+good+" is a class diagram" {
		t.Errorf("good file: %q %v", text, out)
	}
	text, out, isErr = call(t, cs, "plantuml_check", map[string]any{"file_path": bad})
	if isErr || out["valid"] != false || out["line"] != 4.0 || !strings.Contains(text, "line 4: Syntax Error?\n4 | foo bar baz(") {
		t.Errorf("bad file: %q %v", text, out)
	}
	if text, _, isErr := call(t, cs, "plantuml_check", map[string]any{"file_path": filepath.Join(dir, "missing.puml")}); !isErr || !strings.Contains(text, "does not exist") {
		t.Errorf("missing file: isError %v, %q", isErr, text)
	}
}
