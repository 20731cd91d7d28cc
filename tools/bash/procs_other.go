//go:build !linux

package bash

import (
	"errors"
	"log/slog"
	"os/exec"
	"syscall"
)

// Without Linux's /proc, a shell's processes are its process group: what
// left it (setsid) survives the shell.

// A tracker starts shells in process groups of their own.
type tracker struct{}

// A group is the process group of one shell.
type group struct{ pid int }

// newTracker returns a tracker. This system has no subreaper, which is
// ignored, and no way to count a shell's processes, which is an error.
func newTracker(subreaper bool, maxProcs int, logger *slog.Logger) (*tracker, error) {
	if maxProcs > 0 {
		return nil, errors.New("a process limit needs Linux")
	}
	return &tracker{}, nil
}

func (tr *tracker) newGroup(onLimit func()) *group { return &group{} }

func (g *group) start(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	g.pid = cmd.Process.Pid
	return nil
}

// kill kills the shell's process group; it cannot tell how many processes
// that was.
func (g *group) kill() (killed int, failed []int) {
	syscall.Kill(-g.pid, syscall.SIGKILL)
	return 0, nil
}

func (g *group) release() {}

func (tr *tracker) close() {}
