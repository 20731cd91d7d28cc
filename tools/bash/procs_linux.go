package bash

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The processes of a shell are found in /proc, because none of the
// things a process inherits survives what a command may do: setsid leaves
// the process group, a double fork leaves the tree of parents, env -i
// drops a variable. A shell's processes are, together:
//
//   - the shell and its process group;
//   - every process whose environment holds the shell's marker (a random
//     value in markerVar), wherever it was reparented; a command can drop
//     it (env -i, unset), and is then found by the other rules only;
//   - with a subreaper, every process reparented to the server that no
//     live shell claims by its marker: as the server starts no other
//     process, a command of one of its shells started it;
//   - the descendants of all of these.
//
// With a subreaper, nothing a shell starts leaves the server's tree, so
// only the server's children (shells and orphans) need their environment
// read. Where the shell has a cgroup (see cgroup_linux.go), what the
// cgroup holds is the shell's as well.
//
// Killing them first stops each (SIGSTOP), looking again until no new one
// appears, so that none can fork a process that escapes while the others
// die, and then kills them all.

// markerVar is the environment variable that holds a shell's marker.
const markerVar = "GOMCPTEST_BASH_SHELL"

// watchInterval is how often the processes of the shells are counted
// against a process limit.
const watchInterval = 100 * time.Millisecond

// A tracker starts shells and finds and kills the processes they start.
// It is safe for concurrent use.
type tracker struct {
	self      int
	subreaper bool
	maxProcs  int    // 0: no limit
	cgroups   string // where shells get a pids cgroup; "" for none
	logger    *slog.Logger

	mu       sync.Mutex // held while looking at or signalling processes
	groups   map[string]*group
	stale    []string      // cgroups to remove once their processes are gone
	watching bool          // the goroutine counting processes runs
	closed   chan struct{} // closed by close
	reaped   chan struct{} // closed when the reaper has stopped
}

// A group is the processes of one shell.
type group struct {
	tr      *tracker
	marker  string
	pid     int    // the shell's, also its process group
	cgroup  string // the shell's cgroup, if it has one
	onLimit func() // called, once, when the group passes maxProcs
	over    bool   // onLimit was called; guarded by tr.mu
}

// newTracker returns a tracker. With subreaper it makes the process a
// child subreaper and reaps the orphans reparented to it, which assumes
// that nothing else in the process starts child processes.
func newTracker(subreaper bool, maxProcs int, logger *slog.Logger) (*tracker, error) {
	tr := &tracker{
		self:     os.Getpid(),
		maxProcs: maxProcs,
		logger:   logger,
		groups:   make(map[string]*group),
		closed:   make(chan struct{}),
		reaped:   make(chan struct{}),
	}
	if maxProcs > 0 {
		if dir, err := pidsParent(); err != nil {
			logger.Warn("the process limit is counted every 100ms, not enforced by the kernel: a fork bomb can run the machine out of processes before it is killed", "err", err)
		} else {
			tr.cgroups = dir
			removeStaleCgroups(dir)
		}
	}
	if !subreaper {
		close(tr.reaped)
		return tr, nil
	}
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return nil, fmt.Errorf("becoming the subreaper of the shells: %w", err)
	}
	tr.subreaper = true
	go tr.reap()
	return tr, nil
}

// newGroup returns the group of a shell yet to start. onLimit is called,
// once, when the group passes the process limit.
func (tr *tracker) newGroup(onLimit func()) *group {
	return &group{tr: tr, marker: randomHex(), onLimit: onLimit}
}

// start starts cmd as the shell of g: in its own process group and
// cgroup, with a marker in its environment.
func (g *group) start(cmd *exec.Cmd) error {
	tr := g.tr
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env[:len(cmd.Env):len(cmd.Env)], markerVar+"="+g.marker)
	// Its own process group, so that a Ctrl-C meant for the server does
	// not reach it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Under the lock, so that the reaper never sees the shell before it
	// knows the shell is not an orphan to reap.
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.removeStale()
	if tr.cgroups != "" {
		dir, err := newCgroup(tr.cgroups, g.marker, tr.maxProcs)
		if err != nil {
			tr.logger.Warn("the process limit of a shell is counted, not enforced", "err", err)
		}
		g.cgroup = dir
	}
	if err := cmd.Start(); err != nil {
		tr.removeCgroup(g)
		return err
	}
	g.pid = cmd.Process.Pid
	// The shell waits for its first command: it has started nothing yet.
	if g.cgroup != "" {
		if err := joinCgroup(g.cgroup, g.pid); err != nil {
			tr.logger.Warn("the process limit of a shell is counted, not enforced", "err", err)
			tr.removeCgroup(g)
			g.cgroup = ""
		}
	}
	tr.groups[g.marker] = g
	if tr.maxProcs > 0 && !tr.watching {
		tr.watching = true
		go tr.watch()
	}
	return nil
}

// kill kills every process of g, the shell included, and returns how many
// it killed and the pids of those it could not signal.
func (g *group) kill() (killed int, failed []int) {
	tr := g.tr
	tr.mu.Lock()
	defer tr.mu.Unlock()
	killed, failed, err := tr.kill(func(s *snapshot) []proc { return s.members(g) })
	if err != nil {
		tr.logger.Warn("cannot list the processes of a shell: killing its process group only", "err", err)
		unix.Kill(-g.pid, unix.SIGKILL)
	}
	return killed, failed
}

// release forgets g, once its shell has been reaped.
func (g *group) release() {
	g.tr.mu.Lock()
	defer g.tr.mu.Unlock()
	delete(g.tr.groups, g.marker)
	g.tr.removeCgroup(g)
}

// removeCgroup removes the cgroup of g, or if processes killed are still
// in it, leaves it for removeStale. The caller holds tr.mu.
func (tr *tracker) removeCgroup(g *group) {
	if g.cgroup != "" {
		tr.stale = append(tr.stale, g.cgroup)
		tr.removeStale()
	}
}

// removeStale removes the cgroups of released shells that are empty now.
// The caller holds tr.mu.
func (tr *tracker) removeStale() {
	tr.stale = slices.DeleteFunc(tr.stale, func(dir string) bool {
		err := os.Remove(dir)
		return err == nil || errors.Is(err, os.ErrNotExist)
	})
}

// close kills, with a subreaper, the processes no live shell claims, and
// stops the tracker's goroutines. The caller has killed the shells.
func (tr *tracker) close() {
	tr.mu.Lock()
	select {
	case <-tr.closed:
	default:
		close(tr.closed)
		if tr.subreaper {
			if _, failed, err := tr.kill(func(s *snapshot) []proc { return s.members(nil) }); err != nil || len(failed) > 0 {
				tr.logger.Warn("processes the shells started may outlive the server", "err", err, "pids", failed)
			}
		}
	}
	tr.mu.Unlock()
	<-tr.reaped
	tr.mu.Lock()
	defer tr.mu.Unlock()
	// A process killed a moment ago may not have left its cgroup yet; the
	// next server removes what is left.
	tr.removeStale()
}

// kill stops, then kills, the processes that find returns, looking again
// after each round of stops. It returns an error if it cannot list the
// processes. The caller holds tr.mu.
func (tr *tracker) kill(find func(*snapshot) []proc) (killed int, failed []int, err error) {
	stopped := make(map[int]proc)
	for range 1000 { // enough for a fork bomb; each round stops all it sees
		s, err := tr.snapshot()
		if err != nil {
			return 0, nil, err
		}
		fresh := 0
		for _, p := range find(s) {
			if q, ok := stopped[p.pid]; ok && q.start == p.start {
				continue
			}
			stopped[p.pid] = p
			fresh++
			p.signal(unix.SIGSTOP)
		}
		if fresh == 0 {
			break
		}
	}
	for _, p := range stopped {
		switch err := p.signal(unix.SIGKILL); {
		case err == nil:
			killed++
		case !errors.Is(err, unix.ESRCH):
			failed = append(failed, p.pid)
		}
	}
	if tr.subreaper {
		tr.reapZombies()
	}
	return killed, failed, nil
}

// reap reaps the zombies reparented to the server until close.
func (tr *tracker) reap() {
	defer close(tr.reaped)
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, unix.SIGCHLD)
	defer signal.Stop(chld)
	for {
		select {
		case <-chld:
			tr.mu.Lock()
			tr.reapZombies()
			tr.mu.Unlock()
		case <-tr.closed:
			tr.mu.Lock()
			tr.reapZombies()
			tr.mu.Unlock()
			return
		}
	}
}

// reapZombies reaps the server's zombie children but its shells, which
// os/exec waits for. The caller holds tr.mu.
func (tr *tracker) reapZombies() {
	s, err := tr.snapshot()
	if err != nil {
		return
	}
	for _, pid := range s.children[tr.self] {
		if p := s.procs[pid]; p.zombie && !tr.isShell(pid) {
			var status unix.WaitStatus
			unix.Wait4(pid, &status, unix.WNOHANG, nil)
		}
	}
}

func (tr *tracker) isShell(pid int) bool {
	for _, g := range tr.groups {
		if g.pid == pid {
			return true
		}
	}
	return false
}

// watch checks the shells against the process limit until none is left
// or the tracker closes, and reports those past it.
func (tr *tracker) watch() {
	ticker := time.NewTicker(watchInterval)
	defer ticker.Stop()
	for {
		select {
		case <-tr.closed:
			return
		case <-ticker.C:
		}
		var over []*group
		tr.mu.Lock()
		if len(tr.groups) == 0 {
			tr.watching = false
			tr.mu.Unlock()
			return
		}
		var s *snapshot // taken when a shell without a cgroup needs it
		for _, g := range tr.groups {
			if !g.over && tr.overLimit(g, &s) {
				g.over = true
				over = append(over, g)
			}
		}
		tr.mu.Unlock()
		for _, g := range over {
			g.onLimit()
		}
	}
}

// overLimit reports whether the processes of g passed the limit, taking
// the snapshot *s if it needs one and it is nil. The caller holds tr.mu.
func (tr *tracker) overLimit(g *group, s **snapshot) bool {
	if g.cgroup != "" {
		// The kernel holds the limit: a refused fork means the shell's
		// processes tried to pass it.
		return refusedForks(g.cgroup) > 0
	}
	if *s == nil {
		var err error
		if *s, err = tr.snapshot(); err != nil {
			return false
		}
	}
	n := 0
	for _, p := range (*s).members(g) {
		n += p.threads // as the kernel counts them in a cgroup
	}
	return n > tr.maxProcs
}

// A proc is a process, as /proc/PID/stat shows it.
type proc struct {
	pid, ppid, pgid int
	start           uint64 // ticks after boot; with pid, names the process for good
	threads         int
	zombie          bool
}

// readProc reads /proc/PID/stat.
func readProc(pid int) (proc, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return proc{}, false
	}
	// The name, in parentheses, may hold spaces and parentheses itself.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return proc{}, false
	}
	f := strings.Fields(string(data[i+1:])) // from field 3, the state
	if len(f) < 20 {
		return proc{}, false
	}
	p := proc{pid: pid, zombie: f[0] == "Z" || f[0] == "X"}
	p.ppid, _ = strconv.Atoi(f[1])
	p.pgid, _ = strconv.Atoi(f[2])
	p.threads, _ = strconv.Atoi(f[17])
	p.start, _ = strconv.ParseUint(f[19], 10, 64)
	return p, true
}

// signal sends sig to p, unless its pid now names another process.
func (p proc) signal(sig unix.Signal) error {
	fd, err := unix.PidfdOpen(p.pid, 0)
	switch {
	case err == nil:
		defer unix.Close(fd)
	case errors.Is(err, unix.ENOSYS):
		fd = -1
	default:
		return err
	}
	// With a pidfd open, a start time that still matches proves the pid
	// was not reused; without one (Linux before 5.3) it narrows the race.
	if q, ok := readProc(p.pid); !ok || q.start != p.start {
		return unix.ESRCH
	}
	if fd < 0 {
		return unix.Kill(p.pid, sig)
	}
	return unix.PidfdSendSignal(fd, sig, nil, 0)
}

// marker returns the marker in the environment of process pid, if any.
func marker(pid int) string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return ""
	}
	for kv := range bytes.SplitSeq(data, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte(markerVar+"=")); ok {
			return string(v)
		}
	}
	return ""
}

// A snapshot is the processes of the system at one time.
type snapshot struct {
	tr       *tracker
	procs    map[int]proc
	children map[int][]int
	markers  map[int]string // read on demand
}

func (tr *tracker) snapshot() (*snapshot, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, fmt.Errorf("listing processes: %w", err)
	}
	s := &snapshot{tr: tr, procs: make(map[int]proc, len(entries)), children: make(map[int][]int), markers: make(map[int]string)}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok {
			s.procs[pid] = p
			s.children[p.ppid] = append(s.children[p.ppid], pid)
		}
	}
	return s, nil
}

func (s *snapshot) marker(pid int) string {
	m, ok := s.markers[pid]
	if !ok {
		m = marker(pid)
		s.markers[pid] = m
	}
	return m
}

// members returns the live processes of g, or with a nil g the orphans
// that no live shell claims, each with its descendants.
func (s *snapshot) members(g *group) []proc {
	in := make(map[int]bool)
	var todo []int
	add := func(pid int) {
		if !in[pid] && pid != s.tr.self && pid != 1 {
			in[pid] = true
			todo = append(todo, pid)
		}
	}
	if g != nil && g.cgroup != "" {
		for _, pid := range cgroupProcs(g.cgroup) {
			if _, ok := s.procs[pid]; ok {
				add(pid)
			}
		}
	}
	for pid, p := range s.procs {
		switch {
		case p.zombie:
		case g != nil && (pid == g.pid || p.pgid == g.pid):
			add(pid)
		case s.tr.subreaper:
			// Nothing a shell starts leaves the server's tree, and the
			// server's children are shells and orphans of what they ran:
			// only theirs are worth reading for a marker. An orphan is g's
			// unless another live shell claims it.
			if p.ppid == s.tr.self {
				if owner := s.tr.groups[s.marker(pid)]; owner == nil || owner == g {
					add(pid)
				}
			}
		case g != nil && s.marker(pid) == g.marker:
			add(pid)
		}
	}
	var out []proc
	for len(todo) > 0 {
		pid := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if p := s.procs[pid]; !p.zombie {
			out = append(out, p)
		}
		for _, c := range s.children[pid] {
			add(c)
		}
	}
	return out
}
