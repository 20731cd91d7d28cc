// Command world is make conformance-world: it checks real MCP servers
// with mcptest check and compares each report with the reviewed findings
// expected of that server, in expect/<server>.txt, so that a finding that
// appears or goes away fails the run, with a diff.
//
// The servers (servers.go) are the four TypeScript reference servers,
// pinned by package.json and package-lock.json and installed with npm ci
// beside Node 22, and examples of the Go SDK, pinned by version and built
// with go install; all of them, and mcptest built from this repository,
// go to build/world. Each server runs in a fresh temporary directory,
// its $HOME, with a minimal environment; an HTTP one listens on
// 127.0.0.1. Tools are called only where servers.go says why it is safe.
//
// Run it from the repository root:
//
//	go run ./harness/conformance/world                 # compare with expect/*.txt
//	go run ./harness/conformance/world -update         # rewrite them, for review
//	go run ./harness/conformance/world -only 'go-*'    # some of the servers
//
// Exit status: 0 when every report is as expected, 1 when one differs or
// an expectation file has unreviewed findings, 2 when a server could not
// be installed or checked.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"syscall"
	"time"
)

type config struct {
	here   string // this directory: package.json, package-lock.json, expect/
	build  string // where to install
	goCmd  string // the go command
	update bool   // rewrite the expectation files
	only   string // a path.Match pattern of server names; empty means all
}

// errDiffers says that a report is not what its expectation file says.
var errDiffers = errors.New("a report differs from its expectation")

func main() {
	cfg := config{here: filepath.Join("harness", "conformance", "world"), goCmd: "go"}
	flag.StringVar(&cfg.build, "build", filepath.Join("build", "world"), "install the servers and mcptest into `DIR`")
	flag.BoolVar(&cfg.update, "update", false, "rewrite the expectation files from this run's findings, for review")
	flag.StringVar(&cfg.only, "only", "", "check only the servers whose name matches `PATTERN` (as path.Match)")
	flag.Parse()
	if g := os.Getenv("GO"); g != "" {
		cfg.goCmd = g
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, cfg, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "conformance-world: %v\n", err)
		if errors.Is(err, errDiffers) {
			os.Exit(1)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	if _, err := os.Stat(filepath.Join(cfg.here, "package.json")); err != nil {
		return fmt.Errorf("run it from the repository root: %w", err)
	}
	var list []server
	for _, s := range servers() {
		if ok, err := path.Match(cfg.only, s.name); cfg.only == "" || ok {
			list = append(list, s)
		} else if err != nil {
			return fmt.Errorf("-only: %w", err)
		}
	}
	if len(list) == 0 {
		return fmt.Errorf("no server matches -only %q", cfg.only)
	}
	w, err := install(ctx, cfg, list)
	if err != nil {
		return fmt.Errorf("installing: %w", err)
	}
	var differ, broken []string
	for _, s := range list {
		res, err := w.check(ctx, s)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			fmt.Fprintf(out, "%s: %v\n", s.name, err)
			broken = append(broken, s.name)
			continue
		}
		same, err := judge(cfg, w, s, res, out)
		if err != nil {
			return err
		}
		if !same {
			differ = append(differ, s.name)
		}
	}
	switch {
	case len(broken) > 0 && len(differ) > 0:
		return fmt.Errorf("could not check %v (their logs are in %s), and %v differ from their expectations", broken, w.logs, differ)
	case len(broken) > 0:
		return fmt.Errorf("could not check %v (their logs are in %s)", broken, w.logs)
	case len(differ) > 0:
		return fmt.Errorf("%w: %v (make conformance-world UPDATE=1 rewrites the files, for review)", errDiffers, differ)
	}
	return nil
}

// judge compares the findings of s with its expectation file, or rewrites
// the file with -update, and prints the verdict. It reports whether they
// agree and no finding awaits review.
func judge(cfg config, w *world, s server, res *result, out io.Writer) (bool, error) {
	file := filepath.Join(cfg.here, "expect", s.name+".txt")
	want := &expectation{}
	data, err := os.ReadFile(file)
	exists := err == nil
	switch {
	case exists:
		if want, err = parseExpectation(file, data); err != nil {
			return false, err
		}
	case !errors.Is(err, os.ErrNotExist):
		return false, err
	}
	fmt.Fprintf(out, "%-24s %s: %s in %s", s.name, w.version(s), res.counts(), res.wall.Round(10*time.Millisecond))
	if s.target > 0 {
		fmt.Fprintf(out, " (target %v)", s.target)
	}
	if cfg.update {
		next := want.rewrite(res.findings)
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return false, err
		}
		if err := os.WriteFile(file, next.format(header(w, s, res)), 0o644); err != nil {
			return false, err
		}
		fmt.Fprintf(out, ": wrote %s: %d defects, %d known false alarms, %d unreviewed\n",
			file, next.count(defects), next.count(falseAlarm), next.count(unreviewed))
		return true, nil
	}
	missing, extra := diff(want.findings(), res.findings)
	pending := want.count(unreviewed)
	if exists && len(missing) == 0 && len(extra) == 0 && pending == 0 {
		fmt.Fprintln(out, ": as expected")
		return true, nil
	}
	fmt.Fprintln(out, ": NOT as expected")
	if !exists {
		fmt.Fprintf(out, "  %s does not exist: -update writes it\n", file)
	}
	if len(missing)+len(extra) > 0 {
		fmt.Fprintf(out, "  findings that differ from %s (-expected +found):\n", file)
		for _, f := range missing {
			fmt.Fprintf(out, "  -%s\n", f)
		}
		for _, f := range extra {
			fmt.Fprintf(out, "  +%s\n", f)
		}
	}
	if pending > 0 {
		fmt.Fprintf(out, "  %s: %d findings await review in its section %q\n", file, pending, unreviewed)
	}
	return false, nil
}
