package bash

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// newServer returns a server with the tool registered; every
// tooltest.Connect to it is another MCP session, with its own shell.
func newServer(t *testing.T, opts *Options) *mcp.Server {
	t.Helper()
	s := mcp.NewServer(&mcp.Implementation{Name: "Bash", Version: "v0"}, nil)
	if err := Register(s, opts); err != nil {
		t.Fatal(err)
	}
	return s
}

// run calls Bash and returns the text of the result and whether it is an
// error.
func run(t *testing.T, cs *mcp.ClientSession, args map[string]any) (string, bool) {
	t.Helper()
	res := tooltest.Call(t, cs, "Bash", args)
	return tooltest.Text(t, res), res.IsError
}

func cmd(command string) map[string]any { return map[string]any{"command": command} }

func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBashOutput(t *testing.T) {
	cs := tooltest.Connect(t, newServer(t, nil), nil)
	tests := []struct {
		command, want string
	}{
		{"echo a; echo b >&2; echo c", "a\nb\nc\n[exit status 0]"},
		{"echo -n no newline; false", "no newline\n[exit status 1]"},
		{"true", "[exit status 0]"},
		{"(exit 7)", "[exit status 7]"},
		{"read x; echo \"read:$x:$?\"", "read::1\n[exit status 0]"},
		{"printf '%s\\n' '__gomcptest_end_ fake'", "__gomcptest_end_ fake\n[exit status 0]"},
		{"echo 'it'\"'\"'s'; echo \"$((1+2))\"", "it's\n3\n[exit status 0]"},
		{"for i in 1 2; do\n  echo line $i\ndone", "line 1\nline 2\n[exit status 0]"},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			got, isErr := run(t, cs, cmd(tt.command))
			if isErr || got != tt.want {
				t.Errorf("got %q (isError %v), want %q", got, isErr, tt.want)
			}
		})
	}
}

func TestBashPersistentShell(t *testing.T) {
	dir := tempDir(t)
	s := newServer(t, &Options{Dir: dir})
	cs := tooltest.Connect(t, s, nil)
	if got, _ := run(t, cs, cmd("pwd")); got != dir+"\n[exit status 0]" {
		t.Errorf("first shell starts in %q, want %s", got, dir)
	}
	if got, isErr := run(t, cs, cmd("mkdir sub && cd sub && export GREETING=hello")); isErr {
		t.Fatal(got)
	}
	want := dir + "/sub\nhello\n[exit status 0]"
	if got, _ := run(t, cs, cmd("pwd; echo $GREETING")); got != want {
		t.Errorf("second call got %q, want %q: the shell did not keep its state", got, want)
	}
	other := tooltest.Connect(t, s, nil)
	if got, _ := run(t, other, cmd("pwd; echo \"[$GREETING]\"")); got != dir+"\n[]\n[exit status 0]" {
		t.Errorf("another session got %q: sessions must not share a shell", got)
	}
}

func TestBashTimeout(t *testing.T) {
	dir := tempDir(t)
	cs := tooltest.Connect(t, newServer(t, nil), nil)
	run(t, cs, cmd("cd "+dir+" && export X=1"))
	got, _ := run(t, cs, cmd("sleep 300 & echo $!"))
	bg, err := strconv.Atoi(strings.TrimSuffix(got, "\n[exit status 0]"))
	if err != nil {
		t.Fatalf("background pid: %q", got)
	}

	start := time.Now()
	if runtime.GOOS == "linux" {
		// There the shell's directory is read from /proc, so even a cd in
		// the command that timed out is kept.
		dir += "/sub"
	}
	got, isErr := run(t, cs, map[string]any{"command": "mkdir sub && cd sub && echo started; sleep 300", "timeout": 200})
	if !isErr || !strings.HasPrefix(got, "started\n[timed out after 200ms") || !strings.Contains(got, "fresh shell in "+dir+";") {
		t.Errorf("timeout answer = %q (isError %v)", got, isErr)
	}
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Errorf("the call took %v", elapsed)
	}
	waitGone(t, bg) // the whole process group was killed

	want := dir + "\nX=\n[exit status 0]"
	if got, isErr := run(t, cs, cmd(`pwd; echo "X=$X"`)); isErr || got != want {
		t.Errorf("after the timeout got %q, want %q: a fresh shell in the same directory", got, want)
	}
}

func TestBashShellExit(t *testing.T) {
	dir := tempDir(t)
	cs := tooltest.Connect(t, newServer(t, &Options{Dir: dir}), nil)
	got, isErr := run(t, cs, cmd("echo bye; exit 3"))
	if isErr || !strings.HasPrefix(got, "bye\n[the shell exited with status 3; the next command runs in a fresh shell in "+dir) {
		t.Errorf("got %q (isError %v)", got, isErr)
	}
	if got, _ := run(t, cs, cmd("echo again")); got != "again\n[exit status 0]" {
		t.Errorf("after exit got %q", got)
	}
}

func TestBashCancel(t *testing.T) {
	cs := tooltest.Connect(t, newServer(t, nil), nil)
	started := filepath.Join(tempDir(t), "started")
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "Bash", Arguments: cmd("touch " + started + "; sleep 300")})
		errc <- err
	}()
	waitFor(t, func() bool { _, err := os.Stat(started); return err == nil })
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("CallTool error = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the call did not return after cancel")
	}
	deadline, stop := context.WithTimeout(t.Context(), 30*time.Second)
	defer stop()
	res, err := cs.CallTool(deadline, &mcp.CallToolParams{Name: "Bash", Arguments: cmd("echo ok")})
	if err != nil {
		t.Fatalf("the shell is stuck after a cancelled command: %v", err)
	}
	if got := res.Content[0].(*mcp.TextContent).Text; got != "ok\n[exit status 0]" {
		t.Errorf("after cancel got %q", got)
	}
}

// TestBashSessionEnd checks that a session's shell, and what it runs in the
// background, dies with the session.
func TestBashSessionEnd(t *testing.T) {
	s := newServer(t, nil)
	cs := tooltest.Connect(t, s, nil)
	got, _ := run(t, cs, cmd("sleep 300 & echo $$ $!"))
	var shellPID, bgPID int
	if _, err := fmt.Sscanf(got, "%d %d", &shellPID, &bgPID); err != nil {
		t.Fatalf("pids: %q: %v", got, err)
	}
	cs.Close()
	waitGone(t, shellPID)
	waitGone(t, bgPID)
}

func TestBashRefusals(t *testing.T) {
	cs := tooltest.Connect(t, newServer(t, nil), nil)
	marker := filepath.Join(tempDir(t), "ran")
	tests := []struct {
		name  string
		args  map[string]any
		wants []string
	}{
		{"banned", cmd("touch " + marker + "; c\"u\"rl http://example.com"), []string{"command refused: curl is banned", "firefox"}},
		{"banned in a pipe", cmd("touch " + marker + " | wget -O- x"), []string{"wget is banned"}},
		{"syntax", cmd("touch " + marker + "; echo 'unclosed"), []string{"not valid bash", "fix it"}},
		{"empty", cmd("  "), []string{"command is empty"}},
		{"timeout too long", map[string]any{"command": "touch " + marker, "timeout": 600001}, []string{"between 1 and 600000", "got 600001", "background"}},
		{"negative timeout", map[string]any{"command": "touch " + marker, "timeout": -1}, []string{"between 1 and 600000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, isErr := run(t, cs, tt.args)
			if !isErr {
				t.Errorf("got %q, want an error", got)
			}
			for _, want := range tt.wants {
				if !strings.Contains(got, want) {
					t.Errorf("answer %q lacks %q", got, want)
				}
			}
		})
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a refused command ran")
	}
	if got, isErr := run(t, cs, cmd("echo grep wget notes.txt")); isErr {
		t.Errorf("a command that only names wget was refused: %q", got)
	}
}

func TestBashOutputCap(t *testing.T) {
	cs := tooltest.Connect(t, newServer(t, &Options{MaxOutput: 100}), nil)
	got, _ := run(t, cs, cmd("seq 1 1000"))
	if !strings.HasPrefix(got, "1\n2\n3\n") || !strings.Contains(got, "[output truncated: showed the first 100 of 3893 characters; the command ran to its end") {
		t.Errorf("capped output = %q", got)
	}
	if !strings.HasSuffix(got, "[exit status 0]") {
		t.Errorf("the exit status is missing after the cut: %q", got)
	}

	// 20 MB: far past what the tool keeps, and still counted right.
	got, _ = run(t, cs, cmd("head -c 20000000 /dev/zero | tr '\\0' x; echo; echo end"))
	if !strings.HasPrefix(got, strings.Repeat("x", 100)+"\n[output truncated: showed the first 100 of 20000005 characters") {
		t.Errorf("capped output = %.300q", got)
	}
}

// waitGone waits until process pid has exited (a zombie that no one reaps,
// as happens under a container's init, counts as exited).
func waitGone(t *testing.T, pid int) {
	t.Helper()
	waitFor(t, func() bool {
		if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
			if _, after, ok := strings.Cut(string(stat), ") "); ok && strings.HasPrefix(after, "Z") {
				return true
			}
		}
		return syscall.Kill(pid, 0) != nil
	})
}

// waitFor polls cond until it holds, failing the test after 30 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met after 30s")
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, with a deadline
	}
}

// TestBashClientGone makes the client vanish (its stdin closes, as when
// the host dies) while a command runs: the shell must die then, not when
// the command's timeout expires.
func TestBashClientGone(t *testing.T) {
	s := newServer(t, nil)
	toServer, clientW := io.Pipe()
	clientR, fromServer := io.Pipe()
	go io.Copy(io.Discard, clientR)
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background(), &mcp.IOTransport{Reader: toServer, Writer: fromServer}) }()

	pidFile := filepath.Join(tempDir(t), "pid")
	fmt.Fprintf(clientW, "%s\n%s\n%s\n",
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"Bash","arguments":{"command":"echo $$ > `+pidFile+`; sleep 300"}}}`)
	var pid int
	waitFor(t, func() bool {
		data, err := os.ReadFile(pidFile)
		if err != nil || !strings.HasSuffix(string(data), "\n") {
			return false
		}
		pid, err = strconv.Atoi(strings.TrimSpace(string(data)))
		return err == nil
	})
	clientW.Close()
	waitGone(t, pid)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop after its client left")
	}
}

// TestBashLogs checks that a command's text, which may hold a secret, is
// logged only at debug level, and that info level still logs each call.
func TestBashLogs(t *testing.T) {
	tests := []struct {
		level       slog.Level
		wantCommand bool
	}{
		{slog.LevelInfo, false},
		{slog.LevelDebug, true},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			var log bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: tt.level}))
			cs := tooltest.Connect(t, newServer(t, &Options{Logger: logger}), nil)
			run(t, cs, map[string]any{"command": "export TOKEN=sk-secret-123; (exit 3)", "description": "set the token"})
			got := log.String()
			if strings.Contains(got, "sk-secret-123") != tt.wantCommand {
				t.Errorf("the command in the log is %v, want %v:\n%s", !tt.wantCommand, tt.wantCommand, got)
			}
			if !strings.Contains(got, `level=INFO msg="ran a command" outcome=finished exit_status=3 duration=`) {
				t.Errorf("no info line for the call:\n%s", got)
			}
		})
	}
}
