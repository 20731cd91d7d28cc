// Package bash provides the Bash tool: a persistent bash shell per MCP
// session, in which the model runs commands. The working directory and
// exported variables survive from one call to the next; stdout and stderr
// come back interleaved, with the exit status; a timeout kills the command
// and everything it started, and the next call gets a fresh shell.
//
// Commands are parsed before they run, and those that call a banned
// program by name (network clients, browsers; see [DefaultBanned]) are
// refused. This is a guard against a model's mistakes, not a sandbox: a
// shell can reach any file its user can, whatever -root says, and a name
// built at run time escapes the check. Run the server as a user, or in a
// container, that may do only what the model may do.
package bash

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/toolkit"
)

//go:embed description.md
var description string

// Timeouts of a command, in milliseconds.
const (
	DefaultTimeout = 120000
	MaxTimeout     = 600000
)

// Input is the tool's arguments.
type Input struct {
	Command     string `json:"command" jsonschema:"the bash command to run, in the same shell as the previous calls"`
	Timeout     int    `json:"timeout,omitempty" jsonschema:"how long the command may run, in milliseconds; default 120000 (2 minutes), at most 600000 (10 minutes)"`
	Description string `json:"description,omitempty" jsonschema:"what the command does, in 5 to 10 words, for the user watching"`
}

// Output is the tool's structured result.
type Output struct {
	Output   string `json:"output" jsonschema:"stdout and stderr, interleaved as they were written, possibly truncated"`
	ExitCode int    `json:"exit_code" jsonschema:"the command's exit status; -1 when it was killed after the timeout"`
	TimedOut bool   `json:"timed_out,omitempty" jsonschema:"whether the command was killed after the timeout"`
	Dir      string `json:"dir" jsonschema:"the shell's working directory after the command"`
}

// Options configures the tool. A nil *Options means the defaults.
type Options struct {
	// Dir is the working directory of a new session's shell; empty means
	// the server's.
	Dir string
	// Env is the environment of a new shell; nil means the server's.
	Env []string
	// Shell is the bash binary, a path or a name looked up in PATH;
	// empty means "bash".
	Shell string
	// Banned lists the commands refused by name; nil means
	// [DefaultBanned], empty bans nothing.
	Banned []string
	// MaxOutput caps the characters of a command's output; zero means
	// [toolkit.DefaultMaxOutput], a negative value no limit.
	MaxOutput int
	// Logger logs each command and shell; nil means no logging.
	Logger *slog.Logger
}

// Register adds the Bash tool to s. Each client session gets its own
// shell, started on its first command and killed when the session ends.
// It returns an error if the shell binary cannot be found or Dir is not a
// directory.
func Register(s *mcp.Server, opts *Options) error {
	t, err := newTool(opts)
	if err != nil {
		return err
	}
	mcp.AddTool(s, &mcp.Tool{
		Name:        "Bash",
		Description: description,
		Annotations: &mcp.ToolAnnotations{DestructiveHint: new(true), OpenWorldHint: new(true)},
	}, t.bash)
	return nil
}

type tool struct {
	bin       string
	dir       string
	env       []string
	banned    map[string]bool
	bannedAll string // for messages
	maxOutput int
	logger    *slog.Logger

	mu       sync.Mutex
	sessions map[*mcp.ServerSession]*session
}

func newTool(opts *Options) (*tool, error) {
	if opts == nil {
		opts = &Options{}
	}
	t := &tool{
		bin:       opts.Shell,
		dir:       opts.Dir,
		env:       opts.Env,
		maxOutput: opts.MaxOutput,
		logger:    opts.Logger,
		sessions:  make(map[*mcp.ServerSession]*session),
		banned:    make(map[string]bool),
	}
	if t.bin == "" {
		t.bin = "bash"
	}
	bin, err := exec.LookPath(t.bin)
	if err != nil {
		return nil, fmt.Errorf("finding the shell: %w", err)
	}
	t.bin = bin
	if t.dir == "" {
		if t.dir, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("finding the working directory: %w", err)
		}
	} else {
		if info, err := os.Stat(t.dir); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("shell directory %s: not a directory", t.dir)
		}
	}
	if t.env == nil {
		t.env = os.Environ()
	}
	if t.maxOutput == 0 {
		t.maxOutput = toolkit.DefaultMaxOutput
	}
	if t.logger == nil {
		t.logger = slog.New(slog.DiscardHandler)
	}
	banned := opts.Banned
	if banned == nil {
		banned = DefaultBanned()
	}
	for _, name := range banned {
		t.banned[name] = true
	}
	t.bannedAll = strings.Join(banned, " ")
	return t, nil
}

// truncateHint tells the model how to see the part of the output that was cut.
const truncateHint = "the command ran to its end; to see the rest, run it again with its output filtered (| grep PATTERN, | tail -n 50, | head -c 20000) or saved to a file you read in parts"

func (t *tool) bash(ctx context.Context, req *mcp.CallToolRequest, in Input) (*mcp.CallToolResult, Output, error) {
	if strings.TrimSpace(in.Command) == "" {
		return nil, Output{}, errors.New("command is empty; give the bash command to run")
	}
	timeout := in.Timeout
	switch {
	case timeout < 0 || timeout > MaxTimeout:
		return nil, Output{}, fmt.Errorf("timeout must be between 1 and %d milliseconds (10 minutes), got %d; for a longer job, run it in the background with its output in a file (cmd > /tmp/job.log 2>&1 &) and check on it later", MaxTimeout, timeout)
	case timeout == 0:
		timeout = DefaultTimeout
	}
	name, err := findBanned(in.Command, t.banned)
	if err != nil {
		return nil, Output{}, fmt.Errorf("the command is not valid bash (%v); fix it and run it again", err)
	}
	if name != "" {
		return nil, Output{}, fmt.Errorf("command refused: %s is banned here (banned: %s). Network clients and browsers are disabled; do the task with local files and tools, or ask the user for what you need", name, t.bannedAll)
	}

	sess := t.session(req.Session)
	if err := sess.lock(ctx); err != nil {
		return nil, Output{}, fmt.Errorf("waiting for the previous command of this session: %w", err)
	}
	defer sess.unlock()
	attrs := []any{"command", in.Command, "timeout_ms", timeout}
	if in.Description != "" {
		attrs = append(attrs, "description", in.Description)
	}
	t.logger.Info("running", attrs...)
	return t.run(ctx, sess, in.Command, time.Duration(timeout)*time.Millisecond)
}

// run runs command in the session's shell, starting one if needed, and
// turns the outcome into the tool's answer. The caller holds the lock.
func (t *tool) run(ctx context.Context, sess *session, command string, timeout time.Duration) (*mcp.CallToolResult, Output, error) {
	if info, err := os.Stat(sess.dir); err != nil || !info.IsDir() {
		sess.dir = t.dir // the last directory is gone
	}
	sh, err := sess.shell(t.bin, sess.dir, t.env)
	if err != nil {
		return nil, Output{}, err
	}
	res, err := sh.run(ctx, command, timeout, t.maxOutput, truncateHint)
	if res.outcome == timedOut || res.outcome == cancelled {
		if dir, ok := sh.cwd(); ok {
			sess.dir = dir // where the command had gone, as the user expects
		}
	}
	if res.outcome != finished {
		sess.drop(sh)
	}
	if err != nil {
		return nil, Output{}, fmt.Errorf("the command was cancelled and killed: %w", err)
	}
	if res.outcome == finished {
		sess.dir = res.dir
	}
	dir := sess.dir
	out := Output{Output: res.output, ExitCode: res.status, Dir: sess.dir}
	var b strings.Builder
	b.WriteString(res.output)
	if res.output != "" && !strings.HasSuffix(res.output, "\n") {
		b.WriteString("\n")
	}
	isError := false
	switch res.outcome {
	case finished:
		fmt.Fprintf(&b, "[exit status %d]", res.status)
	case exited:
		fmt.Fprintf(&b, "[the shell exited with status %d; the next command runs in a fresh shell in %s, without the variables set before]", res.status, dir)
	case timedOut:
		out.TimedOut, isError = true, true
		fmt.Fprintf(&b, "[timed out after %v: the command and everything it started were killed. The next command runs in a fresh shell in %s; variables set before are lost. For a longer job, give a larger timeout (at most %d ms), or run it in the background with its output in a file (cmd > /tmp/job.log 2>&1 &) and check on it later]", timeout, dir, MaxTimeout)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: b.String()}}, IsError: isError}, out, nil
}

// session returns the state of ss, creating it on first use; it is
// dropped, and its shell killed, when ss ends.
func (t *tool) session(ss *mcp.ServerSession) *session {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.sessions[ss]; ok {
		return s
	}
	s := &session{sem: make(chan struct{}, 1), dir: t.dir}
	t.sessions[ss] = s
	if ss != nil {
		go func() {
			ss.Wait()
			t.mu.Lock()
			delete(t.sessions, ss)
			t.mu.Unlock()
			s.close()
		}()
	}
	return s
}

// A session is the shell of one client session.
type session struct {
	sem chan struct{} // holds a token while a command runs
	dir string        // working directory for the next shell; guarded by sem

	mu     sync.Mutex
	sh     *shell // nil before the first command and after a kill
	closed bool   // the session ended: start no more shells
}

// lock waits until no command runs in the session, or ctx is done.
func (s *session) lock(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *session) unlock() { <-s.sem }

// shell returns the session's shell, starting one in dir if needed.
func (s *session) shell(bin, dir string, env []string) (*shell, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("the session has ended")
	}
	if s.sh == nil {
		sh, err := startShell(bin, dir, env)
		if err != nil {
			return nil, err
		}
		s.sh = sh
	}
	return s.sh, nil
}

// drop kills sh, if it is still the session's shell.
func (s *session) drop(sh *shell) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sh == sh {
		s.sh = nil
	}
	sh.kill()
}

// close kills the shell at once, even while a command runs: the client is
// gone, so nobody waits for the command's output.
func (s *session) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.sh != nil {
		s.sh.kill()
		s.sh = nil
	}
}
