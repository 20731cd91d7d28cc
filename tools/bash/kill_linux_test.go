package bash

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/tooltest"
)

// TestMain lets a test run this binary as the Bash server, as users run it
// (with Main's process-wide setup), by setting runAsServer.
func TestMain(m *testing.M) {
	if os.Getenv(runAsServer) == "1" {
		os.Exit(Main())
	}
	os.Exit(m.Run())
}

const runAsServer = "GOMCPTEST_BASH_TEST_SERVER"

// escapes are commands that leave a process behind that tries to outlive
// the shell, each printing that process's pid.
var escapes = []struct{ name, command string }{
	{"setsid", "setsid sleep 100 >/dev/null 2>&1 & echo $!"},
	{"nohup", "nohup sleep 100 >/dev/null 2>&1 & echo $!"},
	{"nohup and setsid", "nohup setsid sleep 100 >/dev/null 2>&1 & echo $!"},
	{"double fork", "( ( sleep 100 >/dev/null 2>&1 & echo $! ) & ) | cat"},
	{"double fork and setsid", "( ( setsid sleep 100 >/dev/null 2>&1 & echo $! ) & ) | cat"},
	{"daemon holding the output", "( ( setsid sleep 100 & echo $! ) & ) | head -n 1"},
}

// startEscape runs command in cs and returns the pid it printed, checking
// that the process is alive, so that its death later is the tool's doing.
func startEscape(t *testing.T, cs *mcp.ClientSession, command string) int {
	t.Helper()
	got, isErr := run(t, cs, cmd(command))
	pid, err := strconv.Atoi(strings.TrimSuffix(got, "\n[exit status 0]"))
	if isErr || err != nil {
		t.Fatalf("starting %q: %q", command, got)
	}
	// Once it runs sleep, setsid (if any) is done: the escape is complete.
	waitFor(t, func() bool { return comm(pid) == "sleep" })
	return pid
}

// comm returns the name of the program process pid runs, "" once it has
// exited (a zombie has exited).
func comm(pid int) string {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	name, after, _ := strings.Cut(string(stat), ") ")
	if strings.HasPrefix(after, "Z") {
		return ""
	}
	_, name, _ = strings.Cut(name, "(")
	return name
}

func TestBashTimeoutKillsEscapes(t *testing.T) {
	for _, tt := range escapes {
		t.Run(tt.name, func(t *testing.T) {
			cs := tooltest.Connect(t, newServer(t, nil), nil)
			pid := startEscape(t, cs, tt.command)
			got, isErr := run(t, cs, map[string]any{"command": "tail -f /dev/null", "timeout": 100})
			if !isErr || !strings.Contains(got, "[timed out after 100ms") {
				t.Fatalf("timeout answer = %q (isError %v)", got, isErr)
			}
			waitGone(t, pid)
		})
	}
}

func TestBashSessionEndKillsEscapes(t *testing.T) {
	for _, tt := range escapes {
		t.Run(tt.name, func(t *testing.T) {
			cs := tooltest.Connect(t, newServer(t, nil), nil)
			pid := startEscape(t, cs, tt.command)
			cs.Close()
			waitGone(t, pid)
		})
	}
}

// TestBashServerExitKillsEscapes runs the Bash binary's Main, as users do:
// what a command left behind dies when the server exits, including a
// process that cleared its environment and left its parent, which only
// the server, as the subreaper of its shells, can still find.
func TestBashServerExitKillsEscapes(t *testing.T) {
	cases := append(escapes[:len(escapes):len(escapes)],
		struct{ name, command string }{"env cleared", "( ( env -i setsid sleep 100 >/dev/null 2>&1 & echo $! ) & ) | cat"})
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			cs := connectServer(t)
			pid := startEscape(t, cs, tt.command)
			cs.Close() // stdin closes: the server exits
			waitGone(t, pid)
		})
	}
}

// TestBashServerTimeoutKillsOrphans checks, in the Bash binary, that a
// process that cleared its environment and left its parent still dies at
// the timeout of the shell that started it.
func TestBashServerTimeoutKillsOrphans(t *testing.T) {
	cs := connectServer(t)
	pid := startEscape(t, cs, "( ( env -i setsid sleep 100 >/dev/null 2>&1 & echo $! ) & ) | cat")
	got, isErr := run(t, cs, map[string]any{"command": "tail -f /dev/null", "timeout": 100})
	if !isErr || !strings.Contains(got, "[timed out after 100ms") {
		t.Fatalf("timeout answer = %q (isError %v)", got, isErr)
	}
	waitGone(t, pid)
}

// connectServer starts this test binary as the Bash server (see TestMain)
// and connects to it over stdio.
func connectServer(t *testing.T, args ...string) *mcp.ClientSession {
	t.Helper()
	c := exec.Command(os.Args[0], args...)
	c.Env = append(os.Environ(), runAsServer+"=1")
	c.Stderr = t.Output()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	cs, err := client.Connect(context.Background(), &mcp.CommandTransport{Command: c}, nil)
	if err != nil {
		t.Fatalf("starting the Bash server: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// forkLoop starts 200 sleeps, writing their pids to file, and waits for
// them: without a process limit it runs until its timeout.
func forkLoop(file, sleep string) map[string]any {
	return map[string]any{
		"command": fmt.Sprintf("for i in $(seq 200); do %s 100 >/dev/null 2>&1 & echo $! >> %s; done; wait", sleep, file),
		"timeout": 60000,
	}
}

// checkStopped checks that a fork loop was stopped at the limit, that
// every process it started is gone, and that the session goes on. It
// returns how many processes the loop started.
func checkStopped(t *testing.T, cs *mcp.ClientSession, got string, isErr bool, pidFile string) int {
	t.Helper()
	if !isErr || !strings.Contains(got, "more than the 20 processes and threads allowed here at once; killed the shell, the command and everything they started (") {
		t.Errorf("fork loop answer = %q (isError %v)", got, isErr)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pids := strings.Fields(string(data))
	for _, f := range pids {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("pid file: %q", data)
		}
		waitGone(t, pid)
	}
	if got, isErr := run(t, cs, cmd("echo fresh")); isErr || got != "fresh\n[exit status 0]" {
		t.Errorf("after the limit got %q (isError %v)", got, isErr)
	}
	return len(pids)
}

func TestBashMaxProcs(t *testing.T) {
	for _, kernel := range []bool{true, false} {
		t.Run(map[bool]string{true: "cgroup", false: "counted"}[kernel], func(t *testing.T) {
			tl, err := newTool(&Options{MaxProcs: 20})
			if err != nil {
				t.Fatal(err)
			}
			if kernel && tl.procs.cgroups == "" {
				t.Skip("no pids cgroup to create cgroups in")
			}
			if !kernel {
				tl.procs.cgroups = "" // as where none is writable
			}
			s := mcp.NewServer(&mcp.Implementation{Name: "Bash", Version: "v0"}, nil)
			tl.register(s)
			cs := tooltest.Connect(t, s, nil)
			pidFile := tempDir(t) + "/pids"
			got, isErr := run(t, cs, forkLoop(pidFile, "sleep"))
			started := checkStopped(t, cs, got, isErr, pidFile)
			if kernel && started >= 20 {
				t.Errorf("the loop started %d processes past a cgroup limit of 20", started)
			}
		})
	}
}

// TestBashServerMaxProcs runs the limit in the Bash binary, on processes
// that each leave the process group.
func TestBashServerMaxProcs(t *testing.T) {
	cs := connectServer(t, "-max-procs", "20")
	pidFile := tempDir(t) + "/pids"
	got, isErr := run(t, cs, forkLoop(pidFile, "setsid sleep"))
	checkStopped(t, cs, got, isErr, pidFile)
}
