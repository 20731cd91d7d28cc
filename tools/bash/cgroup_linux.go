package bash

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Where the server may create cgroups of the pids controller (v1, or v2
// with pids enabled for the children of its own cgroup: as root, or with a
// cgroup delegated to it), each shell runs in one of its own whose
// pids.max is the process limit: the kernel refuses the fork past it, so
// a fork bomb cannot take the machine's processes before the watcher sees
// it. Elsewhere the limit is only counted, after the fact.

// cgroupPrefix starts the name of a shell's cgroup, followed by the
// server's pid and the shell's marker.
const cgroupPrefix = "gomcptest-bash-"

// pidsParent returns the directory of the server's own cgroup in the pids
// controller, if the server may create cgroups with a pids.max in it.
func pidsParent() (string, error) {
	own, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", fmt.Errorf("reading the server's cgroup: %w", err)
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return "", fmt.Errorf("reading the mounts: %w", err)
	}
	var v1, v2 string // the server's cgroup in each hierarchy
	for line := range strings.Lines(string(own)) {
		f := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(f) < 3 {
			continue
		}
		switch {
		case f[0] == "0" && f[1] == "":
			v2 = f[2]
		case slices.Contains(strings.Split(f[1], ","), "pids"):
			v1 = f[2]
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(mounts))
	for sc.Scan() {
		// 39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		f, g := strings.Fields(pre), strings.Fields(post)
		if !ok || len(f) < 5 || len(g) < 3 {
			continue
		}
		root, point := f[3], f[4]
		var dir string
		switch {
		case g[0] == "cgroup" && v1 != "" && slices.Contains(strings.Split(g[2], ","), "pids"):
			dir = under(point, root, v1)
		case g[0] == "cgroup2" && v2 != "" && v1 == "":
			dir = under(point, root, v2)
			if ctl, err := os.ReadFile(filepath.Join(dir, "cgroup.subtree_control")); dir != "" && (err != nil || !slices.Contains(strings.Fields(string(ctl)), "pids")) {
				dir = ""
			}
		}
		if dir != "" {
			return dir, nil
		}
	}
	return "", errors.New("no cgroup of the pids controller for the server to create cgroups in")
}

// under returns where path, a cgroup, is when the hierarchy's root is
// mounted at point, or "" if it is not under root.
func under(point, root, path string) string {
	rel, ok := strings.CutPrefix(path, root)
	if !ok {
		return ""
	}
	return filepath.Join(point, rel)
}

// newCgroup creates the cgroup of a shell under parent, limited to max
// processes and threads.
func newCgroup(parent, marker string, max int) (string, error) {
	dir := filepath.Join(parent, cgroupPrefix+strconv.Itoa(os.Getpid())+"-"+marker)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating a cgroup: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pids.max"), []byte(strconv.Itoa(max)), 0); err != nil {
		os.Remove(dir)
		return "", fmt.Errorf("setting pids.max: %w", err)
	}
	return dir, nil
}

// joinCgroup moves process pid into the cgroup dir.
func joinCgroup(dir string, pid int) error {
	if err := os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0); err != nil {
		return fmt.Errorf("moving the shell into its cgroup: %w", err)
	}
	return nil
}

// cgroupProcs returns the processes in the cgroup dir.
func cgroupProcs(dir string) []int {
	data, _ := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	var pids []int
	for _, f := range strings.Fields(string(data)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// refusedForks returns how many forks the pids limit of the cgroup dir
// has refused.
func refusedForks(dir string) int {
	data, _ := os.ReadFile(filepath.Join(dir, "pids.events"))
	_, n, _ := strings.Cut(strings.TrimSpace(string(data)), "max ")
	count, _ := strconv.Atoi(n)
	return count
}

// removeStaleCgroups removes the empty cgroups under parent that servers
// no longer running left behind.
func removeStaleCgroups(parent string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), cgroupPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pid, _, _ := strings.Cut(rest, "-")
		if n, err := strconv.Atoi(pid); err == nil && n != os.Getpid() {
			if _, err := os.Stat("/proc/" + pid); err == nil {
				continue // its server runs
			}
		}
		os.Remove(filepath.Join(parent, e.Name())) // fails, harmlessly, if it is not empty
	}
}
