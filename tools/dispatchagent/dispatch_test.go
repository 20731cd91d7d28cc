package dispatchagent

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/llmtest"
	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// onFake returns a Dispatcher on the Gemini API of a fakegemini playing
// scenario.
func onFake(t *testing.T, scenario string, opts *Options) *Dispatcher {
	t.Helper()
	sc, err := fakegemini.ParseScenario(t.Name()+".txtar", []byte(scenario))
	if err != nil {
		t.Fatal(err)
	}
	ts := fakegemini.NewTestServer(t, sc)
	p, err := backend.Provider(t.Context(), backend.Config{APIKey: "test-key", BaseURL: ts.URL, HTTPClient: ts.HTTPClient(),
		Models: []string{"gemini-2.5-flash"}}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return New(p, "gemini-2.5-flash", opts)
}

func tree(t *testing.T) string {
	dir, err := filepath.Abs("testdata/tree")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDispatch answers a question about the fixture tree through the real
// genai client and fakegemini: a search in the working folder, a read,
// an answer, each call visible in the result.
func TestDispatch(t *testing.T) {
	dir := tree(t)
	d := onFake(t, fmt.Sprintf(`
-- 1: search --
expect text Where is the config parsed?
expect text Working folder: %[1]s
expect system research agent
expect tool GlobTool
expect tool GrepTool
expect tool LS
expect tool View
call GrepTool {"pattern": "func ParseConfig"} id=c1 sig=auto
-- 2: read --
expect response GrepTool
call View {"file_path": "%[1]s/config/parse.go"} id=c2
-- 3: answer --
expect response View
text ParseConfig in config/parse.go reads the TOML file.
`, dir), nil)
	cs := connect(t, d)
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "dispatch_agent",
		Arguments: map[string]any{"prompt": "Where is the config parsed?", "path": dir}})
	if err != nil {
		t.Fatal(err)
	}
	text := res.Content[0].(*mcp.TextContent).Text
	if res.IsError {
		t.Fatalf("isError: %s", text)
	}
	for _, want := range []string{
		"ParseConfig in config/parse.go reads the TOML file.\n\n[2 tool calls]\n",
		`- GrepTool {"pattern":"func ParseConfig"}` + "\n",
		`- View {"file_path":"` + dir + `/config/parse.go"}` + "\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	sc := res.StructuredContent.(map[string]any)
	calls := sc["tool_calls"].([]any)
	if len(calls) != 2 {
		t.Fatalf("tool_calls = %v", calls)
	}
	grep := calls[0].(map[string]any)
	if grep["name"] != "GrepTool" || !strings.Contains(grep["result"].(string), "parse.go") || grep["is_error"] == true {
		t.Errorf("grep call = %v, want a match in parse.go (searched in the working folder)", grep)
	}
	view := calls[1].(map[string]any)
	if !strings.Contains(view["result"].(string), "ParseConfig reads the TOML file") {
		t.Errorf("view call = %v", view)
	}
}

func TestStepLimit(t *testing.T) {
	dir := tree(t)
	d := onFake(t, fmt.Sprintf(`
-- 1 --
call LS {"path": %[1]q}
-- 2 --
call LS {"path": %[1]q}
`, dir), &Options{MaxSteps: 2})
	r, err := d.Dispatch(t.Context(), "List forever", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ToolCalls) != 2 || !strings.Contains(r.Answer, "I stopped after 2 model turns") {
		t.Errorf("report = %+v", r)
	}
}

func TestTimeout(t *testing.T) {
	p := llmtest.New(llmtest.Turn{Block: true})
	d := New(p, "test-model", &Options{Timeout: 50 * time.Millisecond})
	_, err := d.Dispatch(t.Context(), "Think hard", "")
	if err == nil || !strings.Contains(err.Error(), "ran out of time (-timeout 50ms)") {
		t.Errorf("err = %v", err)
	}
}

func TestBadInput(t *testing.T) {
	d := New(llmtest.New(), "test-model", nil)
	cs := connect(t, d)
	for args, want := range map[string]map[string]any{
		"prompt is empty":    {"prompt": " "},
		"is relative":        {"prompt": "x", "path": "testdata"},
		"is not a directory": {"prompt": "x", "path": "/nonexistent/dir"},
	} {
		res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "dispatch_agent", Arguments: want})
		if err != nil {
			t.Fatal(err)
		}
		if text := res.Content[0].(*mcp.TextContent).Text; !res.IsError || !strings.Contains(text, args) {
			t.Errorf("%v: %v %q, want an error with %q", want, res.IsError, text, args)
		}
	}
}

// TestBinaries runs the tools from other binaries: a missing one is a
// clear error at dispatch time.
func TestBinaries(t *testing.T) {
	d := New(llmtest.New(llmtest.Text("done")), "test-model", &Options{Binaries: Binaries{"LS": "/nonexistent/LS"}})
	_, err := d.Dispatch(t.Context(), "hi", "")
	if err == nil || !strings.Contains(err.Error(), "starting the tool binaries") {
		t.Errorf("err = %v", err)
	}
}

// TestTools: the model is offered exactly the four read-only tools.
func TestTools(t *testing.T) {
	p := llmtest.New(llmtest.Text("done"))
	r, err := New(p, "test-model", nil).Dispatch(t.Context(), "hi", "")
	if err != nil || r.Answer != "done" || len(r.ToolCalls) != 0 {
		t.Fatalf("report %+v, %v", r, err)
	}
	var names []string
	for _, tool := range p.Requests()[0].Tools {
		names = append(names, tool.Name)
	}
	if got := strings.Join(names, ","); got != "GlobTool,GrepTool,LS,View" {
		t.Errorf("tools = %s", got)
	}
	var _ llm.Provider = p
}

func connect(t *testing.T, d *Dispatcher) *mcp.ClientSession {
	t.Helper()
	s := mcp.NewServer(&mcp.Implementation{Name: "dispatch_agent", Version: "v0"}, nil)
	Register(s, d)
	return tooltest.Connect(t, s, nil)
}

// TestBinariesConfined checks that a tool binary gets the dispatcher's
// roots and output cap: without -root it would read the whole machine.
func TestBinariesConfined(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	// A stand-in for LS that records its arguments, then fails to start.
	argsFile := filepath.Join(tmp, "args")
	bin := filepath.Join(tmp, "LS")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argsFile + "'\nexit 1\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	policy, err := toolkit.NewPolicy([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	d := New(llmtest.New(llmtest.Text("done")), "test-model", &Options{Binaries: Binaries{"LS": bin}, Policy: policy, MaxOutput: 1234})
	if _, err := d.Dispatch(t.Context(), "hi", ""); err == nil {
		t.Fatal("Dispatch with a tool binary that exits: no error")
	}
	data, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatalf("the tool binary did not run: %v", err)
	}
	want := "-root\n" + policy.Roots()[0] + "\n-max-output\n1234\n"
	if got := string(data); got != want {
		t.Errorf("tool binary arguments:\n%s\nwant:\n%s", got, want)
	}
}
