package toolbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// testServer returns the spec of the test binary run as a server named
// name, parsed from a -mcpservers string so that quoting and K=V are used
// as a user would.
func testServer(t *testing.T, name, mode string, env ...string) ServerSpec {
	t.Helper()
	exe, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "dir with space", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, path); err != nil {
		t.Fatal(err)
	}
	// A binary built with -race sleeps 1s on exit unless told otherwise.
	env = append(env, "GORACE=atexit_sleep_ms=0")
	line := fmt.Sprintf("%s=%s %s '%s'", modeEnv, mode, strings.Join(env, " "), path)
	specs, err := ParseSpec(line)
	if err != nil || len(specs) != 1 {
		t.Fatalf("ParseSpec(%q) = %v, %v", line, specs, err)
	}
	return specs[0]
}

func newTestToolbox(t *testing.T, opts *Options, specs ...ServerSpec) (*Toolbox, *logBuffer) {
	t.Helper()
	logs := newLogBuffer()
	if opts == nil {
		opts = &Options{}
	}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	tb, err := New(context.Background(), specs, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { tb.Close() })
	return tb, logs
}

// callText calls a tool that must succeed and returns its text.
func callText(t *testing.T, tb *Toolbox, name, args string) string {
	t.Helper()
	res, err := tb.Call(context.Background(), name, json.RawMessage(args))
	if err != nil {
		t.Fatalf("Call(%s): %v", name, err)
	}
	if res.IsError {
		t.Fatalf("Call(%s): tool error %v", name, resultText(res))
	}
	return resultText(res)
}

func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "")
}

func names(tools []Tool) []string {
	var out []string
	for _, t := range tools {
		out = append(out, t.Name)
	}
	return out
}

func TestListFollowsPages(t *testing.T) {
	tb, _ := newTestToolbox(t, nil, testServer(t, "srv", "tools", manyEnv+"=10"))
	got := names(tb.Tools())
	// The server lists its tools sorted by name, pageSize at a time.
	want := []string{"die", "echo", "gather", "oops", "pid", "slow"}
	for i := range 10 {
		want = append(want, fmt.Sprintf("t%03d", i))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("tools:\n got %v\nwant %v", got, want)
	}
	echo, ok := tb.Tool("echo")
	if !ok || echo.Server != "srv" || echo.Original != "echo" || echo.Description != "echoes text" {
		t.Errorf("Tool(echo) = %+v, %v", echo, ok)
	}
	var schema struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(echo.Parameters, &schema); err != nil || schema.Properties["text"] == nil {
		t.Errorf("echo schema %s: %v", echo.Parameters, err)
	}
}

func TestCollidingToolsArePrefixed(t *testing.T) {
	tb, _ := newTestToolbox(t, nil,
		testServer(t, "alpha", "tools", tagEnv+"=a"),
		testServer(t, "beta.bin", "tools", tagEnv+"=b"),
		testServer(t, "alpha", "tools", tagEnv+"=c"), // same command name
	)
	got := strings.Join(names(tb.Tools()), " ")
	want := "alpha_die alpha_echo alpha_gather only_a alpha_oops alpha_pid alpha_slow " +
		"beta_bin_die beta_bin_echo beta_bin_gather only_b beta_bin_oops beta_bin_pid beta_bin_slow " +
		"alpha_2_die alpha_2_echo alpha_2_gather only_c alpha_2_oops alpha_2_pid alpha_2_slow"
	if got != want {
		t.Errorf("tools:\n got %s\nwant %s", got, want)
	}
	for name, want := range map[string]string{"alpha_echo": "a:x", "beta_bin_echo": "b:x", "alpha_2_echo": "c:x"} {
		if got := callText(t, tb, name, `{"text":"x"}`); got != want {
			t.Errorf("%s answered %q, want %q", name, got, want)
		}
	}
	if got := callText(t, tb, "only_b", `{}`); got != "b" {
		t.Errorf("only_b answered %q", got)
	}
	tool, _ := tb.Tool("beta_bin_echo")
	if tool.Original != "echo" || tool.Server != "beta_bin" {
		t.Errorf("Tool(beta_bin_echo) = %+v", tool)
	}
}

func TestCall(t *testing.T) {
	tb, _ := newTestToolbox(t, nil, testServer(t, "srv", "tools"))
	if got := callText(t, tb, "echo", `{"text":"hi"}`); got != ":hi" {
		t.Errorf("echo answered %q", got)
	}
	res, err := tb.Call(context.Background(), "oops", nil)
	if err != nil || !res.IsError || !strings.Contains(resultText(res), "try again later") {
		t.Errorf("oops: %v, %v; want a tool error result", res, err)
	}
	if _, err := tb.Call(context.Background(), "nope", nil); !errors.Is(err, ErrUnknownTool) {
		t.Errorf("unknown tool: got %v, want ErrUnknownTool", err)
	}
	if _, err := tb.Call(context.Background(), "echo", json.RawMessage(`{"text":`)); err == nil {
		t.Error("invalid JSON arguments: no error")
	}
}

func TestConcurrentCallsRunTogether(t *testing.T) {
	tb, _ := newTestToolbox(t, &Options{CallTimeout: 20 * time.Second}, testServer(t, "srv", "tools"))
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = tb.Call(context.Background(), "gather", json.RawMessage(`{"n":4}`))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("gather needs %d calls in flight at once: %v", n, err)
	}
}

func TestCallTimeout(t *testing.T) {
	tb, logs := newTestToolbox(t, &Options{CallTimeout: 300 * time.Millisecond}, testServer(t, "srv", "tools"))
	_, err := tb.Call(context.Background(), "slow", nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out after 300ms") {
		t.Fatalf("slow: got %v, want a timeout", err)
	}
	logs.waitFor(t, "server=srv", "slow: cancelled") // the server was told
	if got := callText(t, tb, "echo", `{"text":"still here"}`); got != ":still here" {
		t.Errorf("echo after timeout answered %q", got)
	}
}

func TestCancelStopsCall(t *testing.T) {
	tb, logs := newTestToolbox(t, nil, testServer(t, "srv", "tools"))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := tb.Call(ctx, "slow", nil)
		errc <- err
	}()
	logs.waitFor(t, "slow: started")
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("slow after cancel: got %v, want context.Canceled", err)
	}
	logs.waitFor(t, "server=srv", "slow: cancelled")
}

func TestDeadServerIsRestarted(t *testing.T) {
	tb, logs := newTestToolbox(t, nil, testServer(t, "srv", "tools"))
	pid1 := callText(t, tb, "pid", "")
	_, err := tb.Call(context.Background(), "die", nil)
	if err == nil || !strings.Contains(err.Error(), `server "srv" died`) {
		t.Fatalf("die: got %v, want an error saying the server died", err)
	}
	logs.waitFor(t, "server=srv", "dying")
	pid2 := callText(t, tb, "pid", "")
	if pid2 == pid1 {
		t.Errorf("pid after restart is still %s", pid1)
	}
	logs.waitFor(t, "server=srv", "server restarted")
	assertGone(t, pid1)
	if got := tb.Status(); len(got) != 1 || got[0].State != StateRunning || got[0].Restarts != 1 {
		t.Errorf("Status after a restart = %+v, want srv running after 1 restart", got)
	}
}

func TestStatusOfADeadServer(t *testing.T) {
	tb, logs := newTestToolbox(t, nil, testServer(t, "srv", "tools"))
	if got := tb.Status(); got[0] != (ServerStatus{Name: "srv", State: StateRunning}) {
		t.Errorf("Status = %+v, want srv running", got)
	}
	var pid int
	fmt.Sscan(callText(t, tb, "pid", ""), &pid)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "server=srv", "server exited")
	if got := tb.Status(); got[0].State != StateFailed {
		t.Errorf("Status after the server died = %+v, want failed", got)
	}
	tb.Close()
	if got := tb.Status(); got[0].State != StateClosed {
		t.Errorf("Status after Close = %+v, want closed", got)
	}
}

func TestIdleDeathIsNoticed(t *testing.T) {
	tb, logs := newTestToolbox(t, nil, testServer(t, "srv", "tools"))
	var pid int
	fmt.Sscan(callText(t, tb, "pid", ""), &pid)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "server=srv", "server exited")
	if got := callText(t, tb, "echo", `{"text":"back"}`); got != ":back" {
		t.Errorf("echo after restart answered %q", got)
	}
}

func TestStartFailureQuotesStderr(t *testing.T) {
	logs := newLogBuffer()
	specs := []ServerSpec{
		testServer(t, "good", "tools"),
		testServer(t, "bad", "fail"),
		{Command: filepath.Join(t.TempDir(), "missing")},
	}
	tb, err := New(context.Background(), specs, &Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err == nil {
		tb.Close()
		t.Fatal("New succeeded")
	}
	msg := err.Error()
	for _, want := range []string{`server "bad"`, "fail line 11", "fail line 29", "fatal: no config", `server "missing"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "fail line 10\n") || strings.Contains(msg, "good") {
		t.Errorf("error says too much:\n%s", msg)
	}
	logs.waitFor(t, "server=bad", "fail line 0")
}

func TestStartTimeout(t *testing.T) {
	start := time.Now()
	_, err := New(context.Background(), []ServerSpec{testServer(t, "mute", "hang")}, &Options{StartTimeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), `server "mute"`) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("New: got %v, want a start timeout naming the server", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("New took %v", d)
	}
}

func TestStderrIsLogged(t *testing.T) {
	_, logs := newTestToolbox(t, nil, testServer(t, "srv", "tools"))
	logs.waitFor(t, "server=srv", `line="test server starting: tools"`)
}

func TestCloseStopsServers(t *testing.T) {
	tb, _ := newTestToolbox(t, nil, testServer(t, "one", "tools"), testServer(t, "two", "tools"))
	pids := []string{callText(t, tb, "one_pid", ""), callText(t, tb, "two_pid", "")}
	if err := tb.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, pid := range pids {
		assertGone(t, pid)
	}
	if _, err := tb.Call(context.Background(), "one_echo", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Call after Close: got %v, want ErrClosed", err)
	}
	if err := tb.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// assertGone fails unless the process has exited and been reaped.
func assertGone(t *testing.T, pid string) {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(pid, &n); err != nil {
		t.Fatalf("pid %q: %v", pid, err)
	}
	if err := syscall.Kill(n, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process %d still exists (kill 0: %v)", n, err)
	}
}
