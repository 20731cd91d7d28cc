package edit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// connect serves a tool in memory and returns a client session.
func connect(t *testing.T, tl *tool) *mcp.ClientSession {
	t.Helper()
	s := mcp.NewServer(&mcp.Implementation{Name: "Edit", Version: "v0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "Edit", Description: description}, tl.edit)
	return tooltest.Connect(t, s, nil)
}

func newTool(t *testing.T, roots ...string) *tool {
	t.Helper()
	p, err := toolkit.NewPolicy(roots)
	if err != nil {
		t.Fatal(err)
	}
	return &tool{policy: p, maxOutput: toolkit.DefaultMaxOutput, write: (*toolkit.Root).WriteFileAtomic}
}

// call calls Edit and returns its text and whether it is an error.
func call(t *testing.T, cs *mcp.ClientSession, args map[string]any) (string, bool) {
	t.Helper()
	res := tooltest.Call(t, cs, "Edit", args)
	return tooltest.Text(t, res), res.IsError
}

func write(t *testing.T, path, content string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestEdit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.go")
	write(t, path, "package f\n\nfunc a() {}\n\nfunc b() {}\n", 0o750)
	cs := connect(t, newTool(t))

	got, isErr := call(t, cs, map[string]any{"file_path": path, "old_string": "func b() {}", "new_string": "func b() {\n\treturn\n}"})
	if isErr {
		t.Fatal(got)
	}
	want := "Edited " + path + ": replaced 1 occurrence. The edited lines now read (line number, tab, text):\n" +
		"     3\tfunc a() {}\n     4\t\n     5\tfunc b() {\n     6\t\treturn\n     7\t}\n"
	if got != want {
		t.Errorf("answer =\n%s\nwant\n%s", got, want)
	}
	if got := read(t, path); got != "package f\n\nfunc a() {}\n\nfunc b() {\n\treturn\n}\n" {
		t.Errorf("file = %q", got)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o750 {
		t.Errorf("mode = %v, want 0750 kept", info.Mode().Perm())
	}
}

func TestEditNotUnique(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	const content = "x = 1\ny = 2\nx = 3\n\nx = 4\n"
	write(t, path, content, 0o644)
	cs := connect(t, newTool(t))

	got, isErr := call(t, cs, map[string]any{"file_path": path, "old_string": "x =", "new_string": "z ="})
	if !isErr || !strings.Contains(got, "occurs 3 times, at lines 1, 3, 5") || !strings.Contains(got, "replace_all") {
		t.Errorf("answer = %q (isError %v), want an error giving lines 1, 3, 5 and suggesting replace_all", got, isErr)
	}
	if read(t, path) != content {
		t.Error("the file changed after a refused edit")
	}

	got, isErr = call(t, cs, map[string]any{"file_path": path, "old_string": "x =", "new_string": "z =", "replace_all": true})
	if isErr || !strings.Contains(got, "replaced 3 occurrences") {
		t.Errorf("replace_all answer = %q", got)
	}
	if got := read(t, path); got != "z = 1\ny = 2\nz = 3\n\nz = 4\n" {
		t.Errorf("file = %q", got)
	}
}

func TestEditCRLF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "win.txt")
	write(t, path, "one\r\ntwo\r\nthree\r\n", 0o644)
	cs := connect(t, newTool(t))
	if got, isErr := call(t, cs, map[string]any{"file_path": path, "old_string": "one\ntwo", "new_string": "1\n2\n2.5"}); isErr {
		t.Fatal(got)
	}
	if got := read(t, path); got != "1\r\n2\r\n2.5\r\nthree\r\n" {
		t.Errorf("file = %q, want CRLF kept", got)
	}
}

func TestEditCreate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.txt")
	cs := connect(t, newTool(t))
	got, isErr := call(t, cs, map[string]any{"file_path": path, "old_string": "", "new_string": "hello\nworld\n"})
	if isErr || !strings.Contains(got, "Created "+path+" (2 lines") {
		t.Errorf("answer = %q", got)
	}
	if read(t, path) != "hello\nworld\n" {
		t.Error("file content differs")
	}
	got, isErr = call(t, cs, map[string]any{"file_path": path, "old_string": "", "new_string": "again"})
	if !isErr || !strings.Contains(got, "already exists") {
		t.Errorf("creating over a file: %q, want an error", got)
	}
	got, isErr = call(t, cs, map[string]any{"file_path": filepath.Join(dir, "no/such/f"), "old_string": "", "new_string": "x"})
	if !isErr || !strings.Contains(got, "does not exist; create it first") {
		t.Errorf("creating in a missing folder: %q", got)
	}
}

func TestEditRefusals(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "root")
	outside := filepath.Join(tmp, "outside")
	for _, d := range []string{root, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(outside, "secret"), "keep", 0o644)
	if err := os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	cs := connect(t, newTool(t, root))
	tests := []struct {
		name, path, want string
	}{
		{"relative", "f.txt", "path is relative"},
		{"outside", filepath.Join(outside, "secret"), "outside the allowed roots"},
		{"symlink out", filepath.Join(root, "link"), "resolves to " + filepath.Join(outside, "secret")},
		{"directory", root, "is a directory"},
		{"missing", filepath.Join(root, "nope"), "does not exist; to create it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, isErr := call(t, cs, map[string]any{"file_path": tt.path, "old_string": "keep", "new_string": "lost"})
			if !isErr || !strings.Contains(got, tt.want) {
				t.Errorf("answer = %q (isError %v), want an error containing %q", got, isErr, tt.want)
			}
		})
	}
	if read(t, filepath.Join(outside, "secret")) != "keep" {
		t.Error("the file outside the root changed")
	}
}

// TestEditWriteFails makes the atomic write fail and checks the file is
// left as it was and the answer says so.
func TestEditWriteFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.txt")
	write(t, path, "before\n", 0o644)
	tl := newTool(t)
	tl.write = func(root *toolkit.Root, name string, _ []byte, _ fs.FileMode) error {
		return errors.New("writing " + root.Path(name) + ": no space left on device")
	}
	cs := connect(t, tl)
	got, isErr := call(t, cs, map[string]any{"file_path": path, "old_string": "before", "new_string": "after"})
	if !isErr || !strings.Contains(got, "no space left on device; the file was left unchanged") {
		t.Errorf("answer = %q", got)
	}
	if read(t, path) != "before\n" {
		t.Error("the file changed")
	}
}

func TestEditOutputCap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.txt")
	write(t, path, "a\n", 0o644)
	tl := newTool(t)
	tl.maxOutput = 100
	cs := connect(t, tl)
	got, isErr := call(t, cs, map[string]any{"file_path": path, "old_string": "a", "new_string": strings.Repeat("long line\n", 50)})
	if isErr {
		t.Fatal(got)
	}
	if !strings.Contains(got, "[output truncated: showed the first 100 of") || !strings.Contains(got, "read the file with View") {
		t.Errorf("answer = %q, want a truncation note", got)
	}
	if strings.Count(read(t, path), "long line") != 50 {
		t.Error("the edit itself was cut")
	}
}

func TestRegister(t *testing.T) {
	s := mcp.NewServer(&mcp.Implementation{Name: "Edit", Version: "v0"}, nil)
	Register(s, nil)
	res, err := tooltest.Connect(t, s, nil).ListTools(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tools) != 1 || res.Tools[0].Name != "Edit" || res.Tools[0].OutputSchema == nil {
		t.Fatalf("tools = %+v, want Edit with an output schema", res.Tools)
	}
	for _, field := range []string{"file_path", "old_string", "new_string", "replace_all"} {
		if !strings.Contains(string(mustJSON(t, res.Tools[0].InputSchema)), `"`+field+`"`) {
			t.Errorf("input schema lacks %s", field)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestEditNotRegular checks that Edit refuses a FIFO rather than blocking
// on it: reading a FIFO waits for a writer, beyond the call's context.
func TestEditNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // release a reader left blocked on the FIFO
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	tl := newTool(t)
	done := make(chan error, 1)
	go func() {
		_, _, err := tl.edit(t.Context(), nil, Input{FilePath: fifo, OldString: "a", NewString: "b"})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Edit on a FIFO: error %v, want one saying it is not a regular file", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Edit on a FIFO still blocked after 10s")
	}
}

// TestEditRacingSymlinks edits a file, and creates files in a folder,
// while each is swapped for a symlink that leads out of the root, and
// checks that nothing outside is ever read or written: checking the path,
// then reading and writing it by name, would follow a link swapped in
// between.
func TestEditRacingSymlinks(t *testing.T) {
	tr := tooltest.NewTrap(t)
	cs := connect(t, newTool(t, tr.Root))
	tr.Attack(t, 1500, func(i int) string {
		args := map[string]any{"file_path": tr.File, "old_string": "needle", "new_string": "NEEDLE"}
		switch i % 4 {
		case 1, 3:
			args = map[string]any{"file_path": fmt.Sprintf("%s/new-%d.txt", tr.Dir, i), "old_string": "", "new_string": "needle new\n"}
		case 2:
			args = map[string]any{"file_path": tr.File, "old_string": "NEEDLE", "new_string": "needle"}
		}
		got, _ := call(t, cs, args)
		return got
	})
}

// TestEditRefusesSpecialFiles checks that Edit refuses what is not a
// regular file, and leaves it as it was.
func TestEditRefusesSpecialFiles(t *testing.T) {
	for _, sf := range tooltest.SpecialFiles(t) {
		t.Run(sf.Kind, func(t *testing.T) {
			cs := connect(t, newTool(t))
			for _, args := range []map[string]any{
				{"file_path": sf.Path, "old_string": "a", "new_string": "b"},
				{"file_path": sf.Path, "old_string": "", "new_string": "b"},
			} {
				got, isErr := call(t, cs, args)
				if !isErr || !strings.Contains(got, sf.Want) {
					t.Errorf("Edit %v: answer %q (isError %v), want an error saying %q", args, got, isErr, sf.Want)
				}
			}
			sf.Unchanged(t)
		})
	}
}
