package fakegemini

import (
	"context"
	"encoding/json"
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

func userSays(text string, tools []*Tool) *Request {
	return &Request{Contents: []*Content{{Role: "user", Parts: []*Part{{Text: text}}}}, Tools: tools}
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
		{"wait a moment", all, "", "offline model"},
		{"list the files in /tmp", all, `LS {"path":"/tmp"}`, ""},
		{"ls ./src please", all, `LS {"path":"./src"}`, ""},
		{"List the current directory", all, `Bash {"command":"pwd \u0026\u0026 ls -la"}`, ""},
		{"What files are in the current directory?", declare("GlobTool", "LS"), `GlobTool {"pattern":"*"}`, ""},
		{"list this folder", declare("LS"), `LS {"path":"."}`, ""},
		{"what is in the working directory", nil, "", "`Bash` tool"},
		{"read /etc/hostname.", all, `View {"file_path":"/etc/hostname"}`, ""},
		{"show me go.mod", all, `View {"file_path":"go.mod"}`, ""},
		{"cat ~/notes.txt", all, `View {"file_path":"~/notes.txt"}`, ""},
		{"run `ls -la /tmp`", all, `Bash {"command":"ls -la /tmp"}`, ""},
		{"Execute date", all, `Bash {"command":"date"}`, ""},
		{"list /tmp", declare("fs_LS"), `fs_LS {"path":"/tmp"}`, "Calling `fs_LS`"},
		{"list /tmp", declare("LS_LS"), `LS_LS {"path":"/tmp"}`, ""},
		{"read /a/b", declare("View2"), "", "`View` tool"},
		{"list /tmp", nil, "", "no such tool"},
		{"hello", all, "", "Tools declared in this request: `LS`, `View`, `Bash`, `sleep`"},
		{"hello", nil, "", "No tools are declared"},
		{"hi", all, "", "GEMINI_API_KEY"},
		{"hi", all, "", "GCP_PROJECT"},
	}
	for _, tc := range tests {
		t.Run(tc.say, func(t *testing.T) {
			turn, err := Offline().Respond(context.Background(), userSays(tc.say, tc.tools))
			if err != nil {
				t.Fatal(err)
			}
			text, calls := turnText(turn)
			if got := strings.Join(calls, ";"); got != tc.call {
				t.Errorf("calls = %q, want %q", got, tc.call)
			}
			if !strings.Contains(text, tc.text) {
				t.Errorf("text = %q, want it to contain %q", text, tc.text)
			}
			for _, c := range turn.Chunks {
				for _, p := range c.Parts {
					if p.FunctionCall != nil && (p.ThoughtSignature == "" || p.FunctionCall.ID == "") {
						t.Errorf("call without id or signature: %+v", p)
					}
				}
			}
		})
	}
}

func TestOfflineSummarises(t *testing.T) {
	long := strings.Repeat("é", 400) // 800 bytes, cut on a rune boundary
	tests := []struct {
		name     string
		response map[string]any
		want     []string
	}{
		{"output", map[string]any{"output": "a.txt\nb.txt"}, []string{"`LS` tool answered", "> a.txt\n> b.txt"}},
		{"error", map[string]any{"error": "permission denied"}, []string{"`LS` tool reported an error", "permission denied"}},
		{"other shape", map[string]any{"files": []any{"a"}}, []string{`{"files":["a"]}`}},
		{"trimmed", map[string]any{"output": long}, []string{"[...]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := &Request{Contents: []*Content{
				{Role: "user", Parts: []*Part{{Text: "list /"}}},
				{Role: "model", Parts: []*Part{{FunctionCall: &FunctionCall{Name: "LS"}}}},
				{Role: "user", Parts: []*Part{{FunctionResponse: &FunctionResponse{Name: "LS", Response: tc.response}}}},
			}}
			turn, err := Offline().Respond(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			text, calls := turnText(turn)
			if len(calls) != 0 {
				t.Errorf("calls = %v, want none", calls)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("text = %q, want it to contain %q", text, w)
				}
			}
			if len(text) > quoteLimit+200 {
				t.Errorf("text is %d bytes, want it trimmed", len(text))
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
