package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const (
	// checkTimeout bounds one mcptest check, server start-up included.
	checkTimeout = 3 * time.Minute
	// listenTimeout bounds the start of an HTTP server.
	listenTimeout = 10 * time.Second
)

// A result is what one mcptest check of a server found.
type result struct {
	report   report
	findings []finding // with this run's paths replaced by $DIR, $WORLD and $ADDR
	argv     []string  // the command line of mcptest, with the same replacements
	wall     time.Duration
}

// report is the part of mcptest check's JSON report that the run reads.
type report struct {
	Server struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"server"`
	Revision string `json:"revision"`
	Results  []struct {
		ID       string `json:"id"`
		Title    string `json:"title"`
		Level    string `json:"level"`
		Status   string `json:"status"`
		Findings []struct {
			Message string `json:"message"`
		} `json:"findings"`
	} `json:"results"`
}

// check runs mcptest check on s, in a fresh temporary directory.
func (w *world) check(ctx context.Context, s server) (*result, error) {
	dir, err := os.MkdirTemp("", "conformance-world-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	addr := ""
	if s.http {
		if addr, err = freeAddr(); err != nil {
			return nil, err
		}
	}
	vars := strings.NewReplacer("$DIR", dir, "$ADDR", addr)
	argv, err := w.command(s)
	if err != nil {
		return nil, err
	}
	for i := range argv {
		argv[i] = vars.Replace(argv[i])
	}
	env := []string{"PATH=" + filepath.Join(w.modules, ".bin") + ":/usr/local/bin:/usr/bin:/bin", "HOME=" + dir, "TMPDIR=" + dir}
	for _, kv := range s.env {
		env = append(env, vars.Replace(kv))
	}
	logFile := filepath.Join(w.logs, s.name+".log")
	logOut, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	defer logOut.Close()

	args := []string{filepath.Join(w.bin, "mcptest"), "check", "--format", "json"}
	if s.callTools != "" {
		args = append(args, "--call-tools")
	}
	if s.http {
		stop, err := serve(ctx, argv, env, dir, addr, logOut)
		if err != nil {
			return nil, err
		}
		defer stop()
		args = append(args, "--url", "http://"+addr+"/")
	} else {
		args = append(append(args, "--"), argv...)
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var stdout bytes.Buffer
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &stdout, logOut
	cmd.WaitDelay = time.Second // a child left holding stdout must not hold the run
	start := time.Now()
	err = cmd.Run()
	res := &result{wall: time.Since(start)}
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: a MUST check failed
		return nil, fmt.Errorf("mcptest check: %v; its stderr and the server's, in %s, end with:\n%s", err, logFile, tailFile(logFile, 15))
	}
	if err := json.Unmarshal(stdout.Bytes(), &res.report); err != nil {
		return nil, fmt.Errorf("reading the report of mcptest check: %w", err)
	}
	pairs := []string{dir, "$DIR", w.dir, "$WORLD"}
	if addr != "" {
		pairs = append(pairs, addr, "$ADDR")
	}
	clean := strings.NewReplacer(pairs...)
	res.findings = res.report.findings(clean)
	for _, a := range args {
		res.argv = append(res.argv, clean.Replace(a))
	}
	return res, nil
}

// quiet are the statuses of checks that break no rule: their findings,
// if any, are no defect of the server's to expect.
var quiet = []string{"pass", "skip", "note"}

// findings lists the findings of every check whose status is not quiet,
// in the report's order, sorted by message within a check so that an
// order the server changes from run to run does not matter. A check
// without findings is listed with its title.
func (r *report) findings(clean *strings.Replacer) []finding {
	var all []finding
	for _, res := range r.Results {
		if slices.Contains(quiet, res.Status) {
			continue
		}
		var fs []finding
		for _, f := range res.Findings {
			fs = append(fs, finding{res.ID, res.Level, res.Status, oneLine(clean.Replace(f.Message))})
		}
		if len(fs) == 0 {
			fs = append(fs, finding{res.ID, res.Level, res.Status, oneLine(res.Title)})
		}
		slices.SortFunc(fs, func(a, b finding) int { return strings.Compare(a.message, b.message) })
		all = append(all, fs...)
	}
	return all
}

// oneLine makes a message fit on one line of an expectation file.
func oneLine(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\n", `\n`))
	if s == "" {
		return "(no message)"
	}
	return s
}

// counts says how many checks had each status.
func (r *result) counts() string {
	n := map[string]int{}
	var order []string
	for _, res := range r.report.Results {
		if n[res.Status] == 0 {
			order = append(order, res.Status)
		}
		n[res.Status]++
	}
	slices.SortFunc(order, func(a, b string) int { return statusRank(a) - statusRank(b) })
	var parts []string
	for _, s := range order {
		parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
	}
	return strings.Join(parts, ", ")
}

func statusRank(s string) int {
	order := []string{"pass", "fail", "warn", "note", "skip"}
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// header is the comment that opens the expectation file of s.
func header(w *world, s server, res *result) []string {
	transport := "stdio"
	if s.http {
		transport = "streamable HTTP on 127.0.0.1"
	}
	h := []string{
		fmt.Sprintf("%s: %s, over %s.", s.name, w.version(s), transport),
		fmt.Sprintf("It says it is %q version %q; the main session ran at revision %s.", res.report.Server.Name, res.report.Server.Version, res.report.Revision),
		"Checked with: " + strings.Join(res.argv, " "),
	}
	if s.callTools != "" {
		h = append(h, "Tools are called (--call-tools): "+s.callTools+".")
	} else {
		h = append(h, "Tools are not called, only probed: calling them with made-up arguments is not safe.")
	}
	return append(h, "",
		"The findings that make conformance-world (harness/conformance/world) expects of this server, each",
		"\"CHECK LEVEL STATUS: MESSAGE\" with its review on the indented lines below it. The run fails on a",
		"finding that is not listed here and on one listed and not found. make conformance-world UPDATE=1",
		"rewrites this file from a run: the reviews of the findings still found are kept, the comments rewritten.",
		"$DIR is the server's fresh temporary directory, $WORLD build/world, $ADDR its address.")
}

// serve starts argv, a server that listens on addr, and waits until it
// accepts connections. stop kills it.
func serve(ctx context.Context, argv, env []string, dir, addr string, logOut io.Writer) (stop func(), err error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, logOut, logOut
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop = func() {
		cmd.Process.Kill()
		<-exited
	}
	deadline := time.NewTimer(listenTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return stop, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("%s exited before it listened on %s: %v", argv[0], addr, err)
		case <-deadline.C:
			stop()
			return nil, fmt.Errorf("%s did not listen on %s within %v", argv[0], addr, listenTimeout)
		case <-ctx.Done():
			stop()
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
}

// freeAddr returns an address of 127.0.0.1 with a port free right now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func tailFile(name string, n int) string {
	data, err := os.ReadFile(name)
	if err != nil {
		return err.Error()
	}
	return tail(data, n)
}
