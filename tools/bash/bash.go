// Package bash provides the Bash tool: a persistent bash shell per MCP
// session, in which the model runs commands. The working directory and
// exported variables survive from one call to the next; stdout and stderr
// come back interleaved, with the exit status; a timeout kills the command
// and everything the shell started, and the next call gets a fresh shell.
// Everything includes what left the process group (setsid) or its parent
// (nohup ... &, a double fork): on Linux the processes of a shell are found
// in /proc, and the same kill runs when the session ends.
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

	"github.com/owulveryck/gomcptest/tools/toolkit"
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
	ExitCode int    `json:"exit_code" jsonschema:"the command's exit status; -1 when it was killed, after the timeout or past the process limit"`
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
	// MaxProcs, when positive, caps the processes and threads that a
	// session's shell and what it started may run at once: past it, they
	// are all killed. Where the server may create cgroups of the pids
	// controller (as root, mostly), the kernel holds the cap; elsewhere
	// the processes are counted every tenth of a second, and a fork bomb
	// can run the machine out of processes before it is killed. Linux
	// only.
	MaxProcs int
	// Subreaper makes the process a child subreaper (Linux), so that a
	// process a command started that left its parent (a double fork,
	// setsid) and dropped its environment is still found and killed; the
	// process then reaps such orphans. It changes the whole process and
	// assumes that nothing else in it starts child processes: set it only
	// in a process of its own, as the Bash binary does.
	Subreaper bool
	// Logger logs each command (its text only at debug level, since it
	// may hold secrets) and shell; nil means no logging.
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
	t.register(s)
	return nil
}

func (t *tool) register(s *mcp.Server) {
	mcp.AddTool(s, &mcp.Tool{
		Name:        "Bash",
		Description: description,
		Annotations: &mcp.ToolAnnotations{DestructiveHint: new(true), OpenWorldHint: new(true)},
	}, t.bash)
}

type tool struct {
	bin       string
	dir       string
	env       []string
	banned    map[string]bool
	bannedAll string // for messages
	maxOutput int
	maxProcs  int
	procs     *tracker
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
		maxProcs:  opts.MaxProcs,
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
	if t.maxProcs < 0 {
		return nil, fmt.Errorf("the process limit must be 0 (none) or more, got %d", t.maxProcs)
	}
	if t.procs, err = newTracker(opts.Subreaper, t.maxProcs, t.logger); err != nil && opts.Subreaper {
		t.logger.Warn("processes that leave their shell and drop its marker cannot be found", "err", err)
		t.procs, err = newTracker(false, t.maxProcs, t.logger)
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

// close kills the shells of every session and what they started, and
// stops tracking processes. The tool must not be used afterwards.
func (t *tool) close() {
	t.mu.Lock()
	sessions := make([]*session, 0, len(t.sessions))
	for ss, s := range t.sessions {
		sessions = append(sessions, s)
		delete(t.sessions, ss)
	}
	t.mu.Unlock()
	for _, s := range sessions {
		s.close()
	}
	t.procs.close()
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
	t.logger.Debug("running", attrs...)
	return t.run(ctx, sess, in.Command, time.Duration(timeout)*time.Millisecond)
}

// run runs command in the session's shell, starting one if needed, and
// turns the outcome into the tool's answer. The caller holds the lock.
func (t *tool) run(ctx context.Context, sess *session, command string, timeout time.Duration) (*mcp.CallToolResult, Output, error) {
	if info, err := os.Stat(sess.dir); err != nil || !info.IsDir() {
		sess.dir = t.dir // the last directory is gone
	}
	sh, err := sess.shell(t.procs, t.bin, sess.dir, t.env)
	if err != nil {
		return nil, Output{}, err
	}
	start := time.Now()
	res, err := sh.run(ctx, command, timeout, t.maxOutput, truncateHint)
	if res.outcome == timedOut || res.outcome == cancelled {
		if dir, ok := sh.cwd(); ok {
			sess.dir = dir // where the command had gone, as the user expects
		}
	}
	// Without the command, which may hold secrets.
	attrs := []any{"outcome", res.outcome, "exit_status", res.status, "duration", time.Since(start).Round(time.Millisecond), "timeout", timeout}
	var kill string // what killing the shell did, for the model
	if res.outcome != finished {
		sess.drop(sh) // sh.victims and sh.failed are set when it returns
		kill = killed(sh.victims, sh.failed)
		attrs = append(attrs, "killed", sh.victims)
	}
	if res.outcome != finished && len(sh.failed) > 0 {
		t.logger.Warn("ran a command, and some processes it started could not be killed", append(attrs, "pids", sh.failed)...)
	} else {
		t.logger.Info("ran a command", attrs...)
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
		fmt.Fprintf(&b, "[timed out after %v: %s. The next command runs in a fresh shell in %s; variables set before are lost. For a longer job, give a larger timeout (at most %d ms), or run it in the background with its output in a file (cmd > /tmp/job.log 2>&1 &) and check on it later]", timeout, kill, dir, MaxTimeout)
	case overLimit:
		isError = true
		fmt.Fprintf(&b, "[stopped: the shell and what it started tried to run more than the %d processes and threads allowed here at once; %s. The next command runs in a fresh shell in %s; variables set before are lost. Run fewer at once (xargs -P, make -j with a small number)]", t.maxProcs, kill, dir)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: b.String()}}, IsError: isError}, out, nil
}

// killed says what killing a shell did: victims processes killed, and
// the pids of those that could not be.
func killed(victims int, failed []int) string {
	msg := "killed the shell, the command and everything they started"
	if victims > 0 {
		msg += fmt.Sprintf(" (%d processes)", victims)
	}
	if len(failed) > 0 {
		msg += fmt.Sprintf(", but %d processes could not be killed and may still run (pids %v)", len(failed), failed)
	}
	return msg
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
func (s *session) shell(tr *tracker, bin, dir string, env []string) (*shell, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("the session has ended")
	}
	if s.sh == nil {
		sh, err := startShell(tr, bin, dir, env)
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
