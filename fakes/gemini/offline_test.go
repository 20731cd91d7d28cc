package fakegemini

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func declare(names ...string) []*Tool {
	params := map[string]string{"LS": "path", "View": "file_path", "Bash": "command", "sleep": "seconds", "GlobTool": "pattern"}
	t := &Tool{}
	for _, n := range names {
		base := n[strings.LastIndex(n, "_")+1:]
		p := params[base]
		if p == "" {
			p = "value"
		}
		schema, _ := json.Marshal(map[string]any{"type": "object", "properties": map[string]any{p: map[string]any{"type": "string"}}})
		t.FunctionDeclarations = append(t.FunctionDeclarations, &FunctionDeclaration{Name: n, ParametersJSONSchema: schema})
	}
	return []*Tool{t}
}

// schema returns the schema of a tool of this repository as the host
// declares it, or of a client's get_weather.
func schema(name string) string {
	switch name {
	case "Bash":
		return `{"type":"object","properties":{"command":{"type":"string"},"timeout":{"type":"integer"},"description":{"type":"string"}},"required":["command"]}`
	case "sleep":
		return `{"type":"object","properties":{"seconds":{"type":"number"}},"required":["seconds"]}`
	case "LS":
		return `{"type":"object","properties":{"path":{"type":"string"},"ignore":{"type":"array","items":{"type":"string"}}},"required":["path"]}`
	case "View":
		return `{"type":"object","properties":{"file_path":{"type":"string"},"offset":{"type":"integer"},"limit":{"type":"integer"}},"required":["file_path"]}`
	case "GlobTool":
		return `{"type":"object","properties":{"pattern":{"type":"string"},"path":{"type":"string"},"exclude":{"type":"string"},"limit":{"type":"integer"},"absolute":{"type":"boolean"}},"required":["pattern"]}`
	case "GrepTool":
		return `{"type":"object","properties":{"pattern":{"type":"string"},"path":{"type":"string"},"include":{"type":"string"},"ignore_case":{"type":"boolean"}},"required":["pattern"]}`
	case "Replace":
		return `{"type":"object","properties":{"file_path":{"type":"string"},"content":{"type":"string"}},"required":["file_path","content"]}`
	case "Edit":
		return `{"type":"object","properties":{"file_path":{"type":"string"},"old_string":{"type":"string"},"new_string":{"type":"string"},"replace_all":{"type":"boolean"}},"required":["file_path","old_string","new_string"]}`
	case "get_weather":
		return `{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer","minimum":1}},"required":["city"]}`
	}
	return ""
}

// tools declares the named tools with their real schemas.
func tools(names ...string) []*Tool {
	t := &Tool{}
	for _, n := range names {
		t.FunctionDeclarations = append(t.FunctionDeclarations, &FunctionDeclaration{Name: n, ParametersJSONSchema: json.RawMessage(schema(n))})
	}
	return []*Tool{t}
}

func userSays(text string, tools []*Tool) *Request {
	return &Request{Contents: []*Content{{Role: "user", Parts: []*Part{{Text: text}}}}, Tools: tools}
}

// inDir is userSays with a system instruction that gives the working
// directory, as the host does.
func inDir(wd, text string, tools []*Tool) *Request {
	req := userSays(text, tools)
	req.SystemInstruction = &Content{Parts: []*Part{{Text: "You are a helpful agent.\nWorking directory: " + wd + "\nOS: linux"}}}
	return req
}

func withMode(req *Request, mode string, allowed ...string) *Request {
	req.ToolConfig = &ToolConfig{FunctionCallingConfig: &FunctionCallingConfig{Mode: mode, AllowedFunctionNames: allowed}}
	return req
}

// turnText joins the text of a turn's parts, and describes its calls.
func turnText(t *Turn) (text string, calls []string) {
	for _, c := range t.Chunks {
		for _, p := range c.Parts {
			if p.FunctionCall != nil {
				args, _ := json.Marshal(p.FunctionCall.Args)
				calls = append(calls, p.FunctionCall.Name+" "+string(args))
				continue
			}
			if !p.Thought {
				text += p.Text
			}
		}
	}
	return text, calls
}

func respond(t *testing.T, req *Request) (*Turn, string, string) {
	t.Helper()
	turn, err := Offline().Respond(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	text, calls := turnText(turn)
	for _, c := range turn.Chunks {
		for i, p := range c.Parts {
			if p.FunctionCall != nil && (p.FunctionCall.ID == "" || (i == 0) != (p.ThoughtSignature != "")) {
				t.Errorf("call %d of its chunk: id %q, signature %q; want an id, and a signature on the first only", i, p.FunctionCall.ID, p.ThoughtSignature)
			}
		}
	}
	return turn, text, strings.Join(calls, "; ")
}

func TestOfflineIntents(t *testing.T) {
	all := declare("LS", "View", "Bash", "sleep")
	tests := []struct {
		say   string
		tools []*Tool
		call  string // "" means no call
		text  string // substring of the text
	}{
		{"Please sleep for 3 seconds", all, `sleep {"seconds":3}`, "Calling `sleep`"},
		{"PAUSE 1.5", all, `sleep {"seconds":1.5}`, ""},
		{"sleep 500 ms", all, `sleep {"seconds":0.5}`, ""},
		{"wait 2 minutes", all, `sleep {"seconds":120}`, ""},
		{"sleep 2 seconds", declare("Bash"), `Bash {"command":"sleep 2"}`, ""},
		{"wait a moment", all, "", "offline model"},
		{"what is in this picture?", all, "", "offline model"},
		{"what is in /etc?", all, `LS {"path":"/etc"}`, ""},
		{"Make sure to list /tmp", all, `LS {"path":"/tmp"}`, ""},
		{"check that /etc/hosts exists", all, `LS {"path":"/etc"}`, ""},
		{"list the files in /tmp", all, `LS {"path":"/tmp"}`, ""},
		{"list the files and folders in /tmp", all, `LS {"path":"/tmp"}`, ""},
		{"ls ./src please", all, `LS {"path":"./src"}`, ""},
		{"List the current directory", all, `Bash {"command":"pwd \u0026\u0026 ls -la"}`, ""},
		{"What files are in the current directory?", declare("GlobTool", "LS"), `GlobTool {"pattern":"*"}`, ""},
		{"list this folder", declare("LS"), `LS {"path":"."}`, ""},
		{"what is in the working directory", nil, "", "`Bash` tool"},
		{"read /etc/hostname.", all, `View {"file_path":"/etc/hostname"}`, ""},
		{"show me go.mod", all, `View {"file_path":"go.mod"}`, ""},
		{"cat ~/notes.txt", all, `View {"file_path":"~/notes.txt"}`, ""},
		{"read /etc/hosts", declare("Bash"), `Bash {"command":"cat /etc/hosts"}`, ""},
		{"run `ls -la /tmp`", all, `Bash {"command":"ls -la /tmp"}`, ""},
		{"Execute date", all, `Bash {"command":"date"}`, ""},
		{"run echo a and list b", all, `Bash {"command":"echo a and list b"}`, ""},
		{"list /tmp", declare("fs_LS"), `fs_LS {"path":"/tmp"}`, "Calling `fs_LS`"},
		{"list /tmp", declare("LS_LS"), `LS_LS {"path":"/tmp"}`, ""},
		{"read /a/b", declare("View2"), "", "`View` tool"},
		{"list /tmp", nil, "", "no such tool"},
		{"list /tmp and list /var", nil, "", "`LS` tool for that, but this request declares no such tool. Start the server with the LS MCP server (for example `-mcpservers \"LS\"`) and ask again."},
		{"sleep 1 second and list /tmp", declare("sleep"), `sleep {"seconds":1}`, "`LS` tool for that, but this request declares no such tool. Start the server with the LS MCP server (for example `-mcpservers \"LS\"`) and ask again.\n\nCalling `sleep`."},
		{"hello", all, "", "Tools declared in this request: `LS`, `View`, `Bash`, `sleep`"},
		{"hello", nil, "", "No tools are declared"},
		{"hi", all, "", "GEMINI_API_KEY"},
		{"hi", all, "", "GCP_PROJECT"},

		// several things at once
		{"sleep 1 second and list /tmp", all, `sleep {"seconds":1}; LS {"path":"/tmp"}`, "Calling `sleep` and `LS`."},
		{"run `date` and read /etc/hostname", all, `Bash {"command":"date"}; View {"file_path":"/etc/hostname"}`, ""},
		{"list /tmp; list /var", all, `LS {"path":"/tmp"}; LS {"path":"/var"}`, ""},
		{"Please sleep for 1 second, then tell me you are done", all, `sleep {"seconds":1}`, ""},
		{"sleep 1 second, then list /tmp", all, `sleep {"seconds":1}`, ""},
		{"list /tmp and sleep 1 second", declare("LS"), `LS {"path":"/tmp"}`, ""},

		// a tool the prompt names
		{"use get_weather for Paris", tools("get_weather"), `get_weather {"city":"Paris"}`, "Calling `get_weather`."},
		{"Use the get_weather tool for New York in fahrenheit for 3 days", tools("get_weather"), `get_weather {"city":"New York","days":3,"unit":"fahrenheit"}`, ""},
		{"get_weather 'Lyon'", tools("get_weather"), `get_weather {"city":"Lyon"}`, ""},
		{"use get_weather for paris", tools("get_weather"), `get_weather {"city":"paris"}`, ""},
		{"call get_weather", tools("get_weather"), `get_weather {"city":"example"}`, ""},
		{"What is the weather in Oslo? Use get_weather.", tools("get_weather"), `get_weather {"city":"Oslo"}`, ""},
		{"list /tmp with GlobTool", tools("LS", "GlobTool"), `GlobTool {"path":"/tmp","pattern":"*"}`, ""},
		{"use Bash to list /tmp", tools("LS", "Bash"), `Bash {"command":"ls -la /tmp"}`, ""},
		{"use Bash to print hello", tools("Bash"), `Bash {"command":"print hello"}`, ""},
		{"bash is great", tools("Bash"), "", "offline model"},
	}
	for _, tc := range tests {
		t.Run(tc.say, func(t *testing.T) {
			_, text, calls := respond(t, userSays(tc.say, tc.tools))
			if calls != tc.call {
				t.Errorf("calls = %s, want %s", calls, tc.call)
			}
			if !strings.Contains(text, tc.text) {
				t.Errorf("text = %q, want it to contain %q", text, tc.text)
			}
		})
	}
}

// The tutorial's prompts, told the working directory as the host tells it.
func TestOfflineTutorial(t *testing.T) {
	all := tools("Bash", "Edit", "Replace", "View", "LS", "GlobTool", "GrepTool")
	tests := []struct {
		say   string
		tools []*Tool
		call  string
	}{
		{"Find all .go files in this project and tell me about the project structure", all, `GlobTool {"path":"/p","pattern":"**/*.go"}`},
		{"Find all .go files in /src", all, `GlobTool {"path":"/src","pattern":"**/*.go"}`},
		{"find the python files", all, `GlobTool {"path":"/p","pattern":"**/*.py"}`},
		{"find files named main.go", all, `GlobTool {"path":"/p","pattern":"**/main.go"}`},
		{"find main.go in cmd/", all, `GlobTool {"path":"/p/cmd","pattern":"**/main.go"}`},
		{"Find all .go files", tools("Bash"), `Bash {"command":"find /p -type f -name '*.go'"}`},
		{"Find all Python files containing 'error'", all, `GrepTool {"include":"*.py","path":"/p","pattern":"error"}`},
		{`search for "TODO"`, all, `GrepTool {"path":"/p","pattern":"TODO"}`},
		{"Show me the contents of README.md", all, `View {"file_path":"/p/README.md"}`},
		{"show me docs/intro.md", all, `View {"file_path":"/p/docs/intro.md"}`},
		{"read /etc/hostname", all, `View {"file_path":"/etc/hostname"}`},
		{"List the files in the current directory", all, `LS {"path":"/p"}`},
		{"List the files in the current directory using the LS tool", all, `LS {"path":"/p"}`},
		{"List the files in the current directory", tools("Bash", "GlobTool"), `Bash {"command":"pwd \u0026\u0026 ls -la"}`},
		{"List the files in the current directory", tools("GlobTool"), `GlobTool {"path":"/p","pattern":"*"}`},
		{"list src/", all, `LS {"path":"/p/src"}`},
		{`Create a new file called test.txt with the text "Hello, world!" and then verify it exists`, all,
			`Replace {"content":"Hello, world!","file_path":"/p/test.txt"}`},
		{`Create a new file called test.txt with the text "Hello, world!"`, tools("Edit"),
			`Edit {"file_path":"/p/test.txt","new_string":"Hello, world!","old_string":""}`},
		{`create test.txt with the text "it's here"`, tools("Bash"),
			`Bash {"command":"printf '%s' 'it'\\''s here' \u003e /p/test.txt"}`},
		{`write "hi" to notes.txt`, all, `Replace {"content":"hi","file_path":"/p/notes.txt"}`},
		{"create a file called empty.txt", all, `Replace {"content":"","file_path":"/p/empty.txt"}`},
		{"write notes.txt", all, ""},
	}
	for _, tc := range tests {
		t.Run(tc.say, func(t *testing.T) {
			_, text, calls := respond(t, inDir("/p", tc.say, tc.tools))
			if calls != tc.call {
				t.Errorf("calls = %s, want %s", calls, tc.call)
			}
			if tc.call != "" && !strings.HasPrefix(text, "Calling `") {
				t.Errorf("text = %q, want it to announce the call", text)
			}
		})
	}
}

func TestOfflineWorkingDirectory(t *testing.T) {
	tests := []struct{ system, want string }{
		{"Working directory: /home/me/project", "/home/me/project/go.mod"},
		{"The tools' working directory is `/srv/app`.", "/srv/app/go.mod"},
		{"working dir (cwd): /w\nRoots: /r", "/w/go.mod"},
		{"Roots given by -root: /r1, /r2", "/r1/go.mod"},
		{"Working directory: C:\\Users\\me", `C:\Users\me/go.mod`},
		{"You are helpful.", "go.mod"},
	}
	for _, tc := range tests {
		t.Run(tc.system, func(t *testing.T) {
			req := userSays("show me go.mod", tools("View"))
			req.SystemInstruction = &Content{Parts: []*Part{{Text: tc.system}}}
			_, _, calls := respond(t, req)
			if want := `View {"file_path":"` + strings.ReplaceAll(tc.want, `\`, `\\`) + `"}`; calls != want {
				t.Errorf("calls = %s, want %s", calls, want)
			}
		})
	}
	t.Run("in a user message", func(t *testing.T) {
		_, _, calls := respond(t, userSays("My working directory is /u. Show me go.mod", tools("View")))
		if calls != `View {"file_path":"/u/go.mod"}` {
			t.Errorf("calls = %s", calls)
		}
	})
}

func TestOfflineToolChoice(t *testing.T) {
	weather := func() []*Tool {
		ts := tools("get_weather", "LS")
		return ts
	}
	tests := []struct {
		name    string
		req     *Request
		call    string
		text    string
		notText string
	}{
		{"auto: hello greets", withMode(userSays("hello", weather()), "AUTO"), "", "offline model", ""},
		{"required: hello calls the first tool", withMode(userSays("hello", weather()), "ANY"), `get_weather {"city":"hello"}`, "Calling `get_weather`.", "offline model"},
		{"required: the best match", withMode(userSays("list /tmp", weather()), "ANY"), `LS {"path":"/tmp"}`, "", ""},
		{"required: a sentence fills with a placeholder", withMode(userSays("what do you think of all this?", weather()), "ANY"), `get_weather {"city":"example"}`, "", ""},
		{"required: a tool it lacks", withMode(userSays("read /etc/hosts", weather()), "ANY"), `get_weather {"city":"read /etc/hosts"}`, "", "no such tool"},
		{"named: that one", withMode(userSays("list /tmp", weather()), "ANY", "get_weather"), `get_weather {"city":"list /tmp"}`, "", ""},
		{"named: with its values", withMode(userSays("What is the weather in Paris?", weather()), "ANY", "get_weather"), `get_weather {"city":"Paris"}`, "", ""},
		{"named: a match among the allowed", withMode(userSays("list /tmp", weather()), "ANY", "LS"), `LS {"path":"/tmp"}`, "", ""},
		{"none: never calls", withMode(userSays("list /tmp", weather()), "NONE"), "", "turned off", ""},
		{"none: says what it would call", withMode(userSays("use get_weather for Paris", weather()), "NONE"), "", "`get_weather` with `{\"city\":\"Paris\"}`", ""},
		{"none: hello greets", withMode(userSays("hello", weather()), "NONE"), "", "offline model", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, text, calls := respond(t, tc.req)
			if calls != tc.call {
				t.Errorf("calls = %s, want %s", calls, tc.call)
			}
			if !strings.Contains(text, tc.text) {
				t.Errorf("text = %q, want it to contain %q", text, tc.text)
			}
			if tc.notText != "" && strings.Contains(text, tc.notText) {
				t.Errorf("text = %q, want it without %q", text, tc.notText)
			}
		})
	}
}

// ranTools appends the turn and a result for each of its calls, as a
// host running the tools does.
func ranTools(req *Request, turn *Turn, results ...map[string]any) *Request {
	model := &Content{Role: "model"}
	user := &Content{Role: "user"}
	i := 0
	for _, c := range turn.Chunks {
		for _, p := range c.Parts {
			model.Parts = append(model.Parts, p)
			if p.FunctionCall != nil {
				user.Parts = append(user.Parts, &Part{FunctionResponse: &FunctionResponse{ID: p.FunctionCall.ID, Name: p.FunctionCall.Name, Response: results[i]}})
				i++
			}
		}
	}
	next := *req
	next.Contents = append(append([]*Content(nil), req.Contents...), model, user)
	return &next
}

func TestOfflineFollowsUp(t *testing.T) {
	create := `Create a new file called test.txt with the text "Hello, world!" and then verify it exists`
	replace := `Replace {"content":"Hello, world!","file_path":"/p/test.txt"}`
	created := map[string]any{"output": "Created /p/test.txt: wrote 1 lines (13 bytes)."}
	listing := map[string]any{"output": "/p (2 entries)\nfile  13  2026-01-01 00:00:00  test.txt\nfile  7  2026-01-01 00:00:00  go.mod"}
	type turn struct {
		calls   string           // what the turn must call
		results []map[string]any // what the tools answer
	}
	tests := []struct {
		name  string
		req   *Request
		turns []turn
		mode  string // of the last request, if set
		calls string // of the last turn
		text  []string
	}{
		{"create, then check with LS", inDir("/p", create, tools("Replace", "LS", "View")),
			[]turn{{replace, []map[string]any{created}}}, "",
			`LS {"path":"/p"}`, []string{"The `Replace` tool answered:\n\n```\nCreated /p/test.txt: wrote 1 lines (13 bytes).\n```\n\nCalling `LS`."}},
		{"create, verify, answer", inDir("/p", create, tools("Replace", "LS", "View")),
			[]turn{{replace, []map[string]any{created}}, {`LS {"path":"/p"}`, []map[string]any{listing}}}, "",
			"", []string{"The `LS` tool answered:\n\n```\n/p (2 entries)\n", "test.txt\n", "`test.txt` is there: the file exists."}},
		{"verify with View when only View", inDir("/p", create, tools("Replace", "View")),
			[]turn{{replace, []map[string]any{created}}, {`View {"file_path":"/p/test.txt"}`, []map[string]any{{"output": "     1\tHello, world!"}}}}, "",
			"", []string{"`/p/test.txt` exists and holds the text I wrote."}},
		{"missing from the listing", inDir("/p", create, tools("Replace", "LS")),
			[]turn{{replace, []map[string]any{created}}, {`LS {"path":"/p"}`, []map[string]any{{"output": "/p is empty."}}}}, "",
			"", []string{"I do not see `test.txt` in that answer"}},
		{"an error stops the plan", inDir("/p", create, tools("Replace", "LS")),
			[]turn{{replace, []map[string]any{{"error": "folder /p does not exist"}}}}, "",
			"", []string{"The `Replace` tool reported an error:\n\n```\nfolder /p does not exist\n```", "I stopped there"}},
		{"then waits for the results", userSays("sleep 1 second, then list /tmp", tools("sleep", "LS")),
			[]turn{{`sleep {"seconds":1}`, []map[string]any{{"output": "Slept for 1 seconds"}}}, {`LS {"path":"/tmp"}`, []map[string]any{{"output": "/tmp is empty."}}}}, "",
			"", []string{"```\n/tmp is empty.\n```"}},
		{"parallel results are all quoted", userSays("sleep 1 second and list /tmp", tools("sleep", "LS")),
			[]turn{{`sleep {"seconds":1}; LS {"path":"/tmp"}`, []map[string]any{{"output": "Slept for 1 seconds"}, {"output": "/tmp is empty."}}}}, "",
			"", []string{"`sleep` tool answered:\n\n```\nSlept for 1 seconds\n```\n\nThe `LS` tool answered:\n\n```\n/tmp is empty.\n```"}},
		{"mode ANY calls again after the results", withMode(userSays("list /tmp", tools("LS")), "ANY"),
			[]turn{{`LS {"path":"/tmp"}`, []map[string]any{{"output": "/tmp is empty."}}}}, "",
			`LS {"path":"/tmp"}`, []string{"/tmp is empty."}},
		{"mode NONE stops before the next step", inDir("/p", create, tools("Replace", "LS")),
			[]turn{{replace, []map[string]any{created}}}, "NONE",
			"", []string{"next I would call `LS` with `{\"path\":\"/p\"}`"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req
			for i, want := range tc.turns {
				turn, _, calls := respond(t, req)
				if calls != want.calls {
					t.Fatalf("turn %d calls %s, want %s", i+1, calls, want.calls)
				}
				req = ranTools(req, turn, want.results...)
			}
			if tc.mode != "" {
				req = withMode(req, tc.mode)
			}
			_, text, calls := respond(t, req)
			if calls != tc.calls {
				t.Errorf("last turn calls %s, want %s", calls, tc.calls)
			}
			for _, want := range tc.text {
				if !strings.Contains(text, want) {
					t.Errorf("last turn says %q, want %q", text, want)
				}
			}
		})
	}
}

func TestOfflineQuotes(t *testing.T) {
	var long strings.Builder
	for i := range 300 {
		fmt.Fprintf(&long, "line %03d of the output\n", i) // 23 bytes a line
	}
	tests := []struct {
		name     string
		response map[string]any
		want     []string
		not      []string
	}{
		{"output", map[string]any{"output": "a.txt\nb.txt"}, []string{"`LS` tool answered:\n\n```\na.txt\nb.txt\n```"}, nil},
		{"error", map[string]any{"error": "permission denied"}, []string{"`LS` tool reported an error:\n\n```\npermission denied\n```"}, nil},
		{"JSON", map[string]any{"files": []any{"a"}}, []string{"```json\n{\n  \"files\": [\n    \"a\"\n  ]\n}\n```"}, nil},
		{"JSON output", map[string]any{"output": map[string]any{"n": 1.0}}, []string{"```json\n{\n  \"n\": 1\n}\n```"}, nil},
		{"empty", map[string]any{"output": ""}, []string{"(no output)"}, []string{"```"}},
		{"backticks", map[string]any{"output": "say\n```\nhi\n```"}, []string{"````\nsay\n```\nhi\n```\n````"}, nil},
		{"long", map[string]any{"output": long.String()}, []string{"line 000", "line 177 of the output\n```\n\n(122 more lines, 2805 bytes, left out: I quote up to 4096 bytes of whole lines.)"}, []string{"line 178"}},
		{"one long line", map[string]any{"output": strings.Repeat("x", 5000)}, []string{"its first line alone is longer than the 4096 bytes I quote"}, []string{"xxx"}},
		{"media", map[string]any{"output": "an image"}, []string{"It also returned 1 attached file(s)"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fr := &FunctionResponse{Name: "LS", Response: tc.response}
			if tc.name == "media" {
				fr.Parts = json.RawMessage(`[{"inlineData":{"mimeType":"image/png","data":"AA=="}}]`)
			}
			req := &Request{Contents: []*Content{
				{Role: "user", Parts: []*Part{{Text: "list /"}}},
				{Role: "model", Parts: []*Part{{FunctionCall: &FunctionCall{Name: "LS"}}}},
				{Role: "user", Parts: []*Part{{FunctionResponse: fr}}},
			}}
			turn, text, calls := respond(t, req)
			if calls != "" {
				t.Errorf("calls = %v, want none", calls)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("text = %q, want it to contain %q", text, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(text, w) {
					t.Errorf("text = %q, want it without %q", text, w)
				}
			}
			if len(text) > 100 && len(turn.Chunks) < 2 {
				t.Errorf("the answer came in %d chunk, want it streamed in several", len(turn.Chunks))
			}
		})
	}
}

func TestBuildArgs(t *testing.T) {
	tests := []struct {
		name, schema, say string
		openAPI           bool
		want              string
	}{
		{"OpenAPI types", `{"type":"OBJECT","properties":{"city":{"type":"STRING"},"days":{"type":"INTEGER"}},"required":["city","days"]}`, "use f for Rome", true, `{"city":"Rome","days":0}`},
		{"nullable union", `{"type":"object","properties":{"n":{"type":["number","null"]}},"required":["n"]}`, "use f with 2.5", false, `{"n":2.5}`},
		{"anyOf", `{"type":"object","properties":{"n":{"anyOf":[{"type":"null"},{"type":"integer"}]}},"required":["n"]}`, "use f with 2.4", false, `{"n":2}`},
		{"enum default", `{"type":"object","properties":{"u":{"type":"string","enum":["a","b"],"default":"b"}},"required":["u"]}`, "use f", false, `{"u":"b"}`},
		{"enum named", `{"type":"object","properties":{"u":{"type":"string","enum":["Low","High"]}}}`, "use f on high", false, `{"u":"High"}`},
		{"quoted array", `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}}},"required":["tags"]}`, `use f with "a" and "b c"`, false, `{"tags":["a","b c"]}`},
		{"empty array", `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}}},"required":["tags"]}`, "use f", false, `{"tags":[]}`},
		{"min items", `{"type":"object","properties":{"ids":{"type":"array","minItems":1,"items":{"type":"integer"}}},"required":["ids"]}`, "use f", false, `{"ids":[0]}`},
		{"flag", `{"type":"object","properties":{"ignore_case":{"type":"boolean"},"pattern":{"type":"string"}},"required":["pattern"]}`, `use f for "x", ignore case`, false, `{"ignore_case":true,"pattern":"x"}`},
		{"required false", `{"type":"object","properties":{"all":{"type":"boolean"}},"required":["all"]}`, "use f", false, `{"all":false}`},
		{"nested object", `{"type":"object","properties":{"where":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string"}},"required":["city"]}},"required":["where"]}`, "use f for Oslo", false, `{"where":{"city":"Oslo"}}`},
		{"path field", `{"type":"object","properties":{"name":{"type":"string"},"dir":{"type":"string"}},"required":["dir","name"]}`, "use f on docs/ for Ann", false, `{"dir":"/p/docs","name":"Ann"}`},
		{"query field", `{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}`, "use f to find the best pizza in town", false, `{"query":"find the best pizza in town"}`},
		{"string default", `{"type":"object","properties":{"s":{"type":"string","default":"dflt"}},"required":["s"]}`, "use f now please ok go", false, `{"s":"dflt"}`},
		{"minimum", `{"type":"object","properties":{"n":{"type":"integer","minimum":5}},"required":["n"]}`, "use f", false, `{"n":5}`},
		{"ordering", `{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"string"}},"required":["a","b"],"propertyOrdering":["a","b"]}`, `use f "1st" "2nd"`, false, `{"a":"1st","b":"2nd"}`},
		{"declared order", `{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"string"}},"required":["a","b"]}`, `use f "1st" "2nd"`, false, `{"a":"2nd","b":"1st"}`},
		{"no schema", ``, "use f", false, `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &FunctionDeclaration{Name: "f"}
			if tc.openAPI {
				d.Parameters = json.RawMessage(tc.schema)
			} else if tc.schema != "" {
				d.ParametersJSONSchema = json.RawMessage(tc.schema)
			}
			c := clauses(tc.say)[0]
			args := buildArgs(d, nil, newFacts(c, "f", "/p"), true)
			if got := compact(args); got != tc.want {
				t.Errorf("args = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestOfflineDoesSixteenThings(t *testing.T) {
	say := strings.Repeat("list /tmp; ", 20)
	_, _, calls := respond(t, userSays(say, tools("LS")))
	if n := strings.Count(calls, "LS "); n != maxTasks {
		t.Errorf("%d calls, want %d", n, maxTasks)
	}
}

func TestOfflineNamesAMissingToolOnce(t *testing.T) {
	_, text, _ := respond(t, userSays("list /tmp and list /var; read /etc/hosts", nil))
	if strings.Count(text, "`LS` tool") != 1 || strings.Count(text, "`View` tool") != 1 {
		t.Errorf("text = %q, want LS and View named once each", text)
	}
}

func TestClauses(t *testing.T) {
	tests := []struct {
		say  string
		want []string // "+" marks a clause that waits for the ones before
	}{
		{"sleep 1 second and list /tmp", []string{"sleep 1 second", "list /tmp"}},
		{"the files and folders in /tmp", []string{"the files and folders in /tmp"}},
		{`Create test.txt with the text "Hello, world! and then" and then verify it exists`, []string{`Create test.txt with the text "Hello, world! and then"`, "+verify it exists"}},
		{"list /tmp. Then read a.txt", []string{"list /tmp", "+read a.txt"}},
		{"sleep 1 second, then tell me; bye", []string{"sleep 1 second", "+tell me", "bye"}},
		{"what's in 'my dir' and show a.txt", []string{"what's in 'my dir'", "show a.txt"}},
	}
	for _, tc := range tests {
		t.Run(tc.say, func(t *testing.T) {
			var got []string
			for _, c := range clauses(tc.say) {
				s := c.text
				if c.later {
					s = "+" + s
				}
				got = append(got, s)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("clauses = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTextChunks(t *testing.T) {
	s := "one two three four five six seven eight nine ten eleven twelve thirteen"
	chunks := textChunks(s)
	var joined string
	for _, c := range chunks {
		joined += c.Parts[0].Text
	}
	if joined != s || len(chunks) < 2 {
		t.Errorf("%d chunks joined to %q", len(chunks), joined)
	}
}
