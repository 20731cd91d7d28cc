package cli

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/template"
	"time"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// streams are the terminal of a session.
type streams struct {
	in            io.Reader
	out, err      io.Writer
	inTTY, outTTY bool
	// width is the terminal's width, asked each time (it may change).
	width func() int
}

//go:embed system.md
var systemText string

// systemTemplate is the default system prompt.
var systemTemplate = template.Must(template.New("system").Parse(systemText))

// run starts the model and the tools, then runs the session cfg asks for
// until it ends, the input ends or ctx is cancelled. interrupts are the
// user's Ctrl-C. It returns the exit code, and the error to report.
func run(ctx context.Context, cfg config, st streams, interrupts <-chan os.Signal) (int, error) {
	level := slog.LevelError
	if cfg.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(st.err, &slog.HandlerOptions{Level: level}))

	provider, where, err := openModel(ctx, &cfg, logger)
	if err != nil {
		return 1, err
	}
	specs, err := toolbox.ParseSpec(cfg.mcpServers)
	if err != nil {
		return 2, fmt.Errorf("-mcpservers: %w", err)
	}
	findTools(specs, cfg.toolsPath)
	var tb *toolbox.Toolbox
	var tools []toolbox.Tool
	if len(specs) > 0 {
		tb, err = toolbox.New(ctx, specs, &toolbox.Options{Logger: logger, CallTimeout: cfg.toolTimeout, ClientName: "cliGCP", PassEnv: cfg.toolEnv})
		if err != nil {
			return 1, fmt.Errorf("starting the MCP servers: %w", err)
		}
		defer tb.Close()
		tools = tb.Tools()
	}
	system, err := systemPrompt(cfg, time.Now())
	if err != nil {
		return 1, err
	}

	s := &session{cfg: cfg, where: where, offline: cfg.server == "" && cfg.backend.Kind() == backend.Offline, model: cfg.model, system: system, tools: tools, stderr: st.err, inTTY: st.inTTY}
	oneShot := cfg.oneShotSet || cfg.noninteractive
	s.view = &view{out: st.out, tools: st.out, color: st.outTTY, width: 100, quiet: cfg.format == "json"}
	if oneShot {
		s.view.tools = st.err
	}
	if st.outTTY {
		s.view.width = st.width()
		if s.view.md, err = newMarkdown(st.out, os.Getenv("GLAMOUR_STYLE"), s.view.width); err != nil {
			return 1, err
		}
	}
	if !cfg.noninteractive {
		if s.input, err = openInput(cfg, st, oneShot); err != nil {
			return 1, err
		}
		defer s.input.close()
	}

	var box agent.Toolbox
	if tb != nil {
		box = tb
		if cfg.verbose {
			box = &loggingTools{next: box, logger: logger}
		}
		if len(cfg.approve) > 0 {
			box = newApprover(box, tools, cfg.approve, s.ask)
		}
	}
	for _, t := range tools {
		s.decls = append(s.decls, t.Tool)
	}
	if cfg.verbose {
		provider = &loggingProvider{next: provider, logger: logger}
	}
	s.provider = provider
	s.agent = agent.New(provider, box, &agent.Options{MaxSteps: cfg.maxSteps, Logger: logger})
	if cfg.history != "" {
		if s.messages, err = loadHistory(cfg.history); err != nil {
			return 1, err
		}
	}

	ctx, s.quit = context.WithCancel(ctx)
	defer s.quit()
	go s.watch(ctx, interrupts)
	if oneShot {
		prompt := cfg.oneShot
		if cfg.noninteractive {
			b, err := readAll(ctx, st.in)
			if err != nil {
				return 1, fmt.Errorf("reading the prompt from stdin: %w", err)
			}
			prompt = strings.TrimSpace(string(b))
		}
		return s.once(ctx, prompt, st.out)
	}
	return s.interact(ctx)
}

// openModel returns the model cfg names, where it runs (for the welcome
// line), and sets cfg.model when it was not given.
func openModel(ctx context.Context, cfg *config, logger *slog.Logger) (llm.Provider, string, error) {
	if cfg.server != "" {
		r, err := newRemote(ctx, cfg.server, cfg.apiKey, &http.Client{})
		if err != nil {
			return nil, "", err
		}
		if cfg.model == "" {
			if len(r.models) == 0 {
				return nil, "", fmt.Errorf("%s lists no models: name one with -model", r.base)
			}
			cfg.model = r.models[0].ID
		}
		return r, "at " + r.base, nil
	}
	p, err := backend.Provider(ctx, cfg.backend, logger)
	if err != nil {
		return nil, "", err
	}
	var where string
	switch cfg.backend.Kind() {
	case backend.Vertex:
		where = "on Vertex AI (project " + cfg.backend.Project + ", " + cfg.backend.Location + ")"
	case backend.GeminiAPI:
		where = "on the Gemini API"
	default:
		where = "on the offline model"
	}
	return p, where, nil
}

// openInput returns what reads the user's lines: line editing on a
// terminal, else the lines of the pipe, echoed with their prompt on the
// session's output (or stderr for -p) so that a transcript reads as a
// terminal would show it.
func openInput(cfg config, st streams, oneShot bool) (lineReader, error) {
	if st.inTTY {
		in, ok := st.in.(interface {
			io.Reader
			Close() error
		})
		if !ok {
			return nil, fmt.Errorf("line editing needs a closable terminal")
		}
		history := ""
		if cfg.home != "" {
			history = filepath.Join(cfg.home, ".cligcp_history")
		}
		return newTerminalReader(in, st.out, st.err, history)
	}
	echo := st.out
	if oneShot {
		echo = st.err
	}
	return newPipeReader(st.in, echo), nil
}

// findTools resolves the bare command names of specs (no slash) in dir,
// when dir holds an executable of that name; the others are looked up in
// PATH when they start.
func findTools(specs []toolbox.ServerSpec, dir string) {
	if dir == "" {
		return
	}
	for i, s := range specs {
		if s.Command == "" || strings.ContainsRune(s.Command, filepath.Separator) {
			continue
		}
		p := filepath.Join(dir, s.Command)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			specs[i].Command = p
		}
	}
}

// systemPrompt returns the system messages of every request: -prompt (or
// SYSTEM_PROMPT, or the settings file's) when given, else the default,
// which tells the model the working directory, the OS and the date.
func systemPrompt(cfg config, now time.Time) ([]string, error) {
	if cfg.promptSet {
		if cfg.prompt == "" {
			return nil, nil
		}
		return []string{cfg.prompt}, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("the working directory for the system prompt: %w", err)
	}
	var b strings.Builder
	err = systemTemplate.Execute(&b, struct{ Dir, OS, Date string }{dir, runtime.GOOS + "/" + runtime.GOARCH, now.Format("Monday 2 January 2006")})
	if err != nil {
		return nil, fmt.Errorf("the system prompt: %w", err)
	}
	return []string{b.String()}, nil
}

// readAll reads r to its end, or until ctx ends.
func readAll(ctx context.Context, r io.Reader) ([]byte, error) {
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(r)
		ch <- result{b, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-ch:
		return res.b, res.err
	}
}
