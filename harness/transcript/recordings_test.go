package transcript_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/harness/target"
	"github.com/owulveryck/gomcptest/harness/transcript"
)

var update = flag.Bool("update", false, "re-record the transcripts in recordings/mcp whose answers changed")

// recordings is where the transcripts of our own tools live.
const recordings = "../../recordings/mcp"

// A recording is a scripted session with one of our tools, run in a fresh
// copy of the fixture whose path is ${ROOT}.
type recording struct {
	name  string   // file name, without .txtar
	tool  string   // binary
	args  []string // its flags
	calls [][2]string
}

func ourTools() []recording {
	return []recording{
		{"sleep", "sleep", nil, [][2]string{
			{"sleep", `{"seconds":0}`},
			{"sleep", `{"seconds":0.01}`},
			{"sleep", `{"seconds":700}`},
			{"nope", `{}`},
		}},
		{"ls", "LS", []string{"-root", "${ROOT}"}, [][2]string{
			{"LS", `{"path":"${ROOT}"}`},
			{"LS", `{"path":"${ROOT}","ignore":["*.md"]}`},
			{"LS", `{"path":"${ROOT}/a.txt"}`},
			{"LS", `{"path":"/"}`},
		}},
		{"view", "View", []string{"-root", "${ROOT}"}, [][2]string{
			{"View", `{"file_path":"${ROOT}/a.txt"}`},
			{"View", `{"file_path":"${ROOT}/a.txt","offset":2,"limit":1}`},
			{"View", `{"file_path":"${ROOT}/missing.txt"}`},
		}},
		{"glob", "GlobTool", []string{"-root", "${ROOT}"}, [][2]string{
			{"GlobTool", `{"pattern":"**/*.go","path":"${ROOT}"}`},
			{"GlobTool", `{"pattern":"*.{txt,md}","path":"${ROOT}"}`},
			{"GlobTool", `{"pattern":"b.go","path":"${ROOT}"}`},
		}},
		{"grep", "GrepTool", []string{"-root", "${ROOT}"}, [][2]string{
			{"GrepTool", `{"pattern":"func \\w+","path":"${ROOT}"}`},
			{"GrepTool", `{"pattern":"HELLO","path":"${ROOT}","ignore_case":true,"include":"*.txt"}`},
			{"GrepTool", `{"pattern":"nowhere","path":"${ROOT}"}`},
		}},
		{"edit", "Edit", []string{"-root", "${ROOT}"}, [][2]string{
			{"Edit", `{"file_path":"${ROOT}/notes.md","old_string":"draft","new_string":"final"}`},
			{"Edit", `{"file_path":"${ROOT}/notes.md","old_string":"draft","new_string":"final"}`},
			{"Edit", `{"file_path":"${ROOT}/new.txt","old_string":"","new_string":"new\n"}`},
		}},
		{"replace", "Replace", []string{"-root", "${ROOT}"}, [][2]string{
			{"Replace", `{"file_path":"${ROOT}/a.txt","content":"replaced\n"}`},
			{"Replace", `{"file_path":"${ROOT}/sub/c.txt","content":"created\n"}`},
			{"Replace", `{"file_path":"/etc/passwd","content":"x"}`},
		}},
		{"bash", "Bash", []string{"-root", "${ROOT}"}, [][2]string{
			{"Bash", `{"command":"cd ${ROOT}/sub && export GREETING=hello"}`},
			{"Bash", `{"command":"pwd; echo $GREETING; cat b.go; exit 3"}`},
			{"Bash", `{"command":"echo oops >&2; false"}`},
		}},
	}
}

// fixture makes the folder the tools work in, with fixed times so that
// listings are the same every run, and returns its path.
func fixture(t *testing.T) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	files := []struct{ path, data string }{
		{"a.txt", "hello\nworld\nHello again\n"},
		{"notes.md", "# Notes\n\nA draft.\n"},
		{"sub/b.go", "package sub\n\nfunc B() {}\n"},
		{"main.go", "package main\n\nfunc main() {}\n"},
	}
	day := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for i, f := range files {
		path := filepath.Join(root, f.path)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(f.data), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
			t.Fatal(err)
		}
		if err := os.Chtimes(path, day, day.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{"sub", "."} {
		if err := os.Chtimes(filepath.Join(root, dir), day, day); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestRecordings verifies the transcripts of our own tools against the
// tools, so a change in what a tool answers shows up as a diff to review.
// With -update, it re-records those that differ.
func TestRecordings(t *testing.T) {
	for _, r := range ourTools() {
		t.Run(r.name, func(t *testing.T) {
			root := fixture(t)
			vars := map[string]string{"ROOT": root}
			file := filepath.Join(recordings, r.name+".txtar")
			tr, err := transcript.Load(file)
			if err == nil {
				var diffs []transcript.Difference
				diffs, err = transcript.Verify(t.Context(), tr, r.transport(t, root), &transcript.VerifyOptions{Vars: vars})
				if err == nil && len(diffs) == 0 {
					return
				}
				if !*update {
					for _, d := range diffs {
						t.Errorf("%s", d)
					}
					if err != nil {
						t.Error(err)
					}
					t.Log("if the change is intended, accept it with: go test ./harness/transcript -run TestRecordings -update")
					return
				}
			} else if !*update {
				t.Fatalf("%v (record it with -update)", err)
			}
			r.record(t, file, vars)
		})
	}
}

// transport returns a transport to the tool, run in root.
func (r recording) transport(t *testing.T, root string) mcp.Transport {
	t.Helper()
	env, cmd := command(r.tool, expand(r.args, root)...)
	tp, err := target.Target{Command: cmd, Env: env, Dir: root, Stderr: testWriter{t}}.Transport()
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// record runs r's session in a fresh fixture and writes its transcript.
func (r recording) record(t *testing.T, file string, vars map[string]string) {
	t.Helper()
	root := fixture(t)
	rec := transcript.NewRecorder(r.transport(t, root))
	cs := connect(t, rec, "2025-11-25")
	if _, err := cs.ListTools(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.calls {
		// A JSON-RPC error is an answer to record like any other.
		cs.CallTool(t.Context(), &mcp.CallToolParams{Name: c[0], Arguments: json.RawMessage(strings.ReplaceAll(c[1], "${ROOT}", root))})
	}
	cs.Close()
	tr := rec.Transcript(transcript.Header{
		Comment: "Transcript of our own tool, verified by TestRecordings in harness/transcript;\nre-record with go test ./harness/transcript -run TestRecordings -update.",
		Server:  strings.Join(append([]string{r.tool}, r.args...), " "),
		Date:    time.Now().Format(time.DateOnly),
	}).Abstract(map[string]string{"ROOT": root})
	if err := os.WriteFile(file, tr.Format(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s", file)
}

func expand(args []string, root string) []string {
	var out []string
	for _, a := range args {
		out = append(out, strings.ReplaceAll(a, "${ROOT}", root))
	}
	return out
}

// testWriter logs a server's stderr.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Logf("%s", bytes.TrimRight(p, "\n"))
	return len(p), nil
}
