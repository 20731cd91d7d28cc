package dispatchagent

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/toolbox"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

//go:embed system.md
var systemPrompt string

// Defaults of Options.
const (
	DefaultMaxSteps = 15
	DefaultTimeout  = 5 * time.Minute
)

// Options configure a Dispatcher. A nil *Options means all defaults.
type Options struct {
	// MaxSteps caps the model turns of one dispatch (default 15).
	MaxSteps int
	// Timeout bounds one dispatch (default 5m).
	Timeout time.Duration
	// Binaries serve some tools instead of the in-process packages.
	Binaries Binaries
	// Policy confines the in-process tools; nil means no confinement.
	Policy *toolkit.Policy
	// MaxOutput caps each tool's output, in characters; zero means no cap.
	MaxOutput int
	// Logger receives the agent's and the tool binaries' logs; nil
	// discards.
	Logger *slog.Logger
}

// A Dispatcher runs research agents on one model. It is safe for
// concurrent use: each dispatch has its own tools.
type Dispatcher struct {
	provider llm.Provider
	model    string
	opts     Options
}

// New returns a Dispatcher asking model of p.
func New(p llm.Provider, model string, opts *Options) *Dispatcher {
	d := &Dispatcher{provider: p, model: model}
	if opts != nil {
		d.opts = *opts
	}
	if d.opts.MaxSteps <= 0 {
		d.opts.MaxSteps = DefaultMaxSteps
	}
	if d.opts.Timeout <= 0 {
		d.opts.Timeout = DefaultTimeout
	}
	if d.opts.Logger == nil {
		d.opts.Logger = slog.New(slog.DiscardHandler)
	}
	return d
}

// Report is what a dispatch found.
type Report struct {
	Answer    string `json:"answer" jsonschema:"the research agent's final answer"`
	ToolCalls []Call `json:"tool_calls" jsonschema:"the tool calls it made, in order"`
}

// Call is one tool call of the research agent.
type Call struct {
	Name      string `json:"name"`
	Arguments any    `json:"arguments" jsonschema:"the call's arguments, a JSON object"`
	IsError   bool   `json:"is_error,omitempty" jsonschema:"the tool reported an error"`
	Result    string `json:"result" jsonschema:"the start of the tool's answer"`
}

// resultPreview is how much of each tool answer a Report keeps.
const resultPreview = 200

// ErrBadPath is returned (wrapped) for a path that is not an absolute
// directory.
var ErrBadPath = errors.New("bad path")

// Dispatch runs an agent on prompt, with GlobTool and GrepTool searching
// dir (when not empty) by default, until it answers, the step limit, or
// the timeout.
func (d *Dispatcher) Dispatch(ctx context.Context, prompt, dir string) (*Report, error) {
	if dir != "" {
		if !filepath.IsAbs(dir) {
			return nil, fmt.Errorf("%w: %q is relative; give an absolute path", ErrBadPath, dir)
		}
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("%w: %q is not a directory", ErrBadPath, dir)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	tools, err := openTools(ctx, dir, d.opts.Policy, d.opts.MaxOutput, d.opts.Binaries, &toolbox.Options{Logger: d.opts.Logger})
	if err != nil {
		return nil, err
	}
	defer tools.Close()

	user := prompt
	if dir != "" {
		user = fmt.Sprintf("Working folder: %s\n\n%s", dir, prompt)
	}
	req := &llm.Request{
		Model:    d.model,
		System:   []string{systemPrompt},
		Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: user}}}},
		Tools:    tools.decls,
	}
	r := &Report{ToolCalls: []Call{}}
	var answer strings.Builder
	index := map[string]int{} // call id -> index in r.ToolCalls
	a := agent.New(d.provider, tools, &agent.Options{MaxSteps: d.opts.MaxSteps, Logger: d.opts.Logger})
	err = a.Run(ctx, agent.Input{Request: req}, func(e agent.Event) error {
		switch e.Kind {
		case agent.EventText:
			answer.WriteString(e.Text)
		case agent.EventToolCall:
			var args any
			if json.Unmarshal(e.ToolCall.Arguments, &args) != nil {
				args = string(e.ToolCall.Arguments)
			}
			index[e.ToolCall.ID] = len(r.ToolCalls)
			r.ToolCalls = append(r.ToolCalls, Call{Name: e.ToolCall.Name, Arguments: args})
		case agent.EventToolResult:
			if i, ok := index[e.ToolResult.CallID]; ok {
				r.ToolCalls[i].IsError = e.ToolResult.IsError
				r.ToolCalls[i].Result = preview(e.ToolResult.Content)
			}
		}
		return nil
	})
	r.Answer = strings.TrimSpace(answer.String())
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		return r, fmt.Errorf("the research agent ran out of time (-timeout %s) after %d tool calls; ask a narrower question", d.opts.Timeout, len(r.ToolCalls))
	}
	if err != nil {
		return r, fmt.Errorf("the research agent's model failed: %w", err)
	}
	return r, nil
}

func preview(s string) string {
	r := []rune(s)
	if len(r) <= resultPreview {
		return s
	}
	return string(r[:resultPreview]) + "…"
}
