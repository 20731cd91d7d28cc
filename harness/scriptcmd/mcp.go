package scriptcmd

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/owulveryck/gomcptest/internal/syncbuf"
	"github.com/rogpeppe/go-internal/testscript"
)

// connectTimeout bounds connecting, listing and closing a session; a call
// has its own -timeout.
const connectTimeout = time.Minute

func mcpStartCmd() command {
	return command{
		name:    "mcp start",
		args:    "NAME (-- COMMAND [ARGS...] | -url URL)",
		summary: "start an MCP server, or reach one, and keep a session with it as NAME",
		detail: []string{
			"With -- COMMAND, runs COMMAND as a stdio server, as exec would: found on the script's $PATH unless it holds a slash, in the script's current directory ($WORK unless cd moved it), with the script's environment. That environment is every variable the script started with (testscript's and those of Params.Setup), at its current value, and those that scriptcmd's commands set (fake start, freeport, capture); testscript does not tell a command the names the env command adds, so a new variable a server needs is declared in Params.Setup first.",
			"With -url URL, connects to a streamable HTTP server there.",
			"The session lasts until mcp stop NAME or the end of the script. ! mcp start expects the server to fail before the session is open (it exits, or refuses to initialize), and prints why and the server's stderr to stderr.",
		},
		run: mcpStart,
	}
}

func mcpStopCmd() command {
	return command{
		name:    "mcp stop",
		args:    "NAME",
		summary: "close the session NAME and stop its server",
		detail: []string{
			"A stdio server has its stdin closed and is waited for (signalled after 5s); its stderr becomes the command's stderr, and an exit status other than 0 fails the script. A session still open at the end of the script is closed then.",
		},
		run: mcpStop,
	}
}

// A session is one MCP session opened by mcp start.
type session struct {
	cs *mcp.ClientSession
	// stderr is a stdio server's standard error, nil for a URL.
	stderr *syncbuf.Buffer
}

// stderrNote is the end of the server's stderr, to explain a failure.
func (s *session) stderrNote() string {
	if s.stderr == nil {
		return ""
	}
	lines := strings.SplitAfter(strings.TrimRight(s.stderr.String(), "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	if len(lines) > 20 {
		lines = append([]string{"...\n"}, lines[len(lines)-20:]...)
	}
	return "\nthe server's stderr:\n" + strings.Join(lines, "")
}

func mcpStart(ts *testscript.TestScript, neg bool, args []string) {
	st := scriptState(ts, "mcp start", len(args) >= 2)
	name, rest := args[0], args[1:]
	if _, ok := st.sessions[name]; ok {
		ts.Fatalf("mcp start %s: the session %s is already open (mcp stop %s first)", name, name, name)
	}
	s := &session{}
	var transport mcp.Transport
	switch {
	case rest[0] == "--" && len(rest) > 1:
		path, err := lookPath(ts, rest[1])
		if err != nil {
			ts.Fatalf("mcp start %s: %v", name, err)
		}
		cmd := exec.Command(path, rest[2:]...)
		cmd.Dir = ts.MkAbs(".")
		cmd.Env = st.environ(ts)
		s.stderr = new(syncbuf.Buffer)
		cmd.Stderr = s.stderr
		transport = &mcp.CommandTransport{Command: cmd}
	default:
		url, ok := urlArg(rest)
		if !ok {
			fatalUsage(ts, "mcp start")
		}
		transport = &mcp.StreamableClientTransport{Endpoint: url}
	}

	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "scriptcmd", Version: "v1.0.0"}, nil)
	cs, err := client.Connect(ctx, transport, nil)
	switch {
	case err != nil && neg:
		fmt.Fprintf(ts.Stderr(), "mcp start %s: %v\n", name, err)
		if s.stderr != nil {
			fmt.Fprint(ts.Stderr(), s.stderr.String())
		}
		return
	case err != nil:
		ts.Fatalf("mcp start %s: connecting: %v%s", name, err, s.stderrNote())
	case neg:
		cs.Close()
		ts.Fatalf("mcp start %s: the session opened, want a failure", name)
	}
	s.cs = cs
	st.sessions[name] = s
}

// urlArg reads -url URL as the flag package would: -url URL, -url=URL,
// and either with --.
func urlArg(rest []string) (string, bool) {
	flag := strings.TrimPrefix(strings.TrimPrefix(rest[0], "-"), "-")
	if url, ok := strings.CutPrefix(flag, "url="); ok && len(rest) == 1 {
		return url, url != ""
	}
	if flag == "url" && len(rest) == 2 {
		return rest[1], true
	}
	return "", false
}

// lookPath finds a command as testscript's exec does: a name with a
// slash is a path from the script's directory, any other is looked up in
// the script's $PATH (not the test process's).
func lookPath(ts *testscript.TestScript, name string) (string, error) {
	if strings.ContainsAny(name, `/`+string(filepath.Separator)) {
		return ts.MkAbs(name), nil
	}
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if dir == "" {
			continue
		}
		// A path with a separator is checked as it is (with PATHEXT on
		// Windows), whatever the process's PATH.
		if path, err := exec.LookPath(filepath.Join(ts.MkAbs(dir), name)); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s: not found in the script's $PATH", name)
}

func mcpStop(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "mcp stop")
	st := scriptState(ts, "mcp stop", len(args) == 1)
	s := openSession(ts, st, "mcp stop", args[0])
	delete(st.sessions, args[0])
	err := s.cs.Close()
	if s.stderr != nil {
		fmt.Fprint(ts.Stderr(), s.stderr.String())
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		ts.Fatalf("mcp stop %s: the server exited with %v", args[0], exit)
	case err != nil:
		ts.Fatalf("mcp stop %s: closing the session: %v", args[0], err)
	}
}

// openSession returns the session NAME, failing the script when there is
// none.
func openSession(ts *testscript.TestScript, st *state, cmd, name string) *session {
	s, ok := st.sessions[name]
	if !ok {
		ts.Fatalf("%s: no session %s (mcp start %s first)", cmd, name, name)
	}
	return s
}
