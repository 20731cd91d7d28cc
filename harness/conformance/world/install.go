package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// installTimeout bounds npm ci, which downloads Node 22 the first time.
const installTimeout = 10 * time.Minute

// A world is what install put in place, as absolute paths.
type world struct {
	dir     string // build/world
	bin     string // mcptest and the Go servers
	logs    string // one log a server, and the install's
	modules string // node_modules: Node 22 and the TypeScript servers
	node    string // Node 22
}

// install brings cfg.build up to date: Node 22 and the TypeScript servers
// with npm ci when package-lock.json changed since the last install, the
// Go servers with go install, and mcptest built from this repository.
func install(ctx context.Context, cfg config, list []server) (*world, error) {
	dir, err := filepath.Abs(cfg.build)
	if err != nil {
		return nil, err
	}
	w := &world{dir: dir, bin: filepath.Join(dir, "bin"), logs: filepath.Join(dir, "logs"), modules: filepath.Join(dir, "node_modules")}
	w.node = filepath.Join(w.modules, ".bin", "node")
	for _, d := range []string{w.bin, w.logs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := w.npmCI(ctx, cfg.here); err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, w.node, "--version").Output()
	if v := strings.TrimSpace(string(out)); err != nil || !strings.HasPrefix(v, "v22.") {
		return nil, fmt.Errorf("%s is not Node 22 (%q, %v): were the install scripts of the npm package \"node\" blocked?", w.node, v, err)
	}

	if err := w.goCmd(ctx, cfg.goCmd, nil, "build", "-o", w.bin+string(filepath.Separator), "./harness/cmd/mcptest"); err != nil {
		return nil, err
	}
	var pkgs []string
	for _, s := range list {
		if s.goPkg != "" && !slices.Contains(pkgs, s.goPkg) {
			pkgs = append(pkgs, s.goPkg)
		}
	}
	if len(pkgs) > 0 {
		if err := w.goCmd(ctx, cfg.goCmd, []string{"GOBIN=" + w.bin}, append([]string{"install"}, pkgs...)...); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// npmCI installs the pinned packages of here into w.dir, unless the
// lockfile there is the same, which means they are installed already.
func (w *world) npmCI(ctx context.Context, here string) error {
	lock, err := os.ReadFile(filepath.Join(here, "package-lock.json"))
	if err != nil {
		return err
	}
	manifest, err := os.ReadFile(filepath.Join(here, "package.json"))
	if err != nil {
		return err
	}
	installed := filepath.Join(w.dir, "package-lock.json")
	if old, err := os.ReadFile(installed); err == nil && bytes.Equal(old, lock) {
		if _, err := os.Stat(w.node); err == nil {
			return nil
		}
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return errors.New("npm is needed once, to install Node 22 and the TypeScript servers")
	}
	if err := os.WriteFile(filepath.Join(w.dir, "package.json"), manifest, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(installed, lock, 0o644); err != nil {
		return err
	}
	fmt.Printf("installing Node 22 and the TypeScript servers into %s\n", w.dir)
	ctx, cancel := context.WithTimeout(ctx, installTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = w.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(installed) // so that the next run tries again
		logFile := filepath.Join(w.logs, "install.log")
		os.WriteFile(logFile, out, 0o644)
		return fmt.Errorf("npm ci in %s: %v (see %s):\n%s", w.dir, err, logFile, tail(out, 20))
	}
	return nil
}

// goCmd runs the go command in the repository, with env added.
func (w *world) goCmd(ctx context.Context, goCmd string, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v:\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// command returns the command line that starts s.
func (w *world) command(s server) ([]string, error) {
	if s.goPkg != "" {
		pkg, _, _ := strings.Cut(s.goPkg, "@")
		return append([]string{filepath.Join(w.bin, path.Base(pkg))}, s.args...), nil
	}
	m, err := w.npmPackage(s.npm)
	if err != nil {
		return nil, err
	}
	if len(m.Bin) == 1 {
		for _, main := range m.Bin {
			return append([]string{w.node, filepath.Join(w.modules, s.npm, main)}, s.args...), nil
		}
	}
	return nil, fmt.Errorf("npm package %s: want one program in bin, have %d", s.npm, len(m.Bin))
}

// version says which version of s this run checks.
func (w *world) version(s server) string {
	if s.goPkg != "" {
		return s.goPkg
	}
	m, err := w.npmPackage(s.npm)
	if err != nil {
		return s.npm
	}
	return s.npm + "@" + m.Version
}

type npmManifest struct {
	Version string            `json:"version"`
	Bin     map[string]string `json:"bin"`
}

func (w *world) npmPackage(name string) (*npmManifest, error) {
	file := filepath.Join(w.modules, name, "package.json")
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var m npmManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &m, nil
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
