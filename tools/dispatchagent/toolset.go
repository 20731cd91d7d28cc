package dispatchagent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/toolbox"
	"github.com/owulveryck/gomcptest/tools/glob"
	"github.com/owulveryck/gomcptest/tools/grep"
	"github.com/owulveryck/gomcptest/tools/ls"
	"github.com/owulveryck/gomcptest/tools/toolkit"
	"github.com/owulveryck/gomcptest/tools/view"
)

// ToolNames are the read-only tools the agent gets.
var ToolNames = []string{"View", "GlobTool", "GrepTool", "LS"}

// Binaries names the programs that serve some of the tools instead of the
// in-process packages, by tool name (View, GlobTool, GrepTool, LS). A tool
// absent from the map runs in-process.
type Binaries map[string]string

// toolset is the agent's tools for one dispatch: it implements
// agent.Toolbox and declares the tools to the model.
type toolset struct {
	decls  []llm.Tool
	call   map[string]func(context.Context, json.RawMessage) (*mcp.CallToolResult, error)
	closes []func() error
}

func (t *toolset) Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	c, ok := t.call[name]
	if !ok {
		return nil, fmt.Errorf("unknown tool %q: use one of %v", name, ToolNames)
	}
	return c(ctx, args)
}

func (t *toolset) Close() error {
	var errs []error
	for _, c := range slices.Backward(t.closes) {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// openTools serves the tools not in bins in-process (GlobTool and GrepTool
// searching dir by default) and starts the binaries of bins. The caller
// closes the toolset.
func openTools(ctx context.Context, dir string, policy *toolkit.Policy, maxOutput int, bins Binaries, opts *toolbox.Options) (*toolset, error) {
	t := &toolset{call: make(map[string]func(context.Context, json.RawMessage) (*mcp.CallToolResult, error))}
	s := mcp.NewServer(&mcp.Implementation{Name: "dispatch_agent-tools", Version: "v0"}, nil)
	inProcess := 0
	register := map[string]func(){
		"View":     func() { view.Register(s, &view.Options{Policy: policy, MaxOutput: maxOutput}) },
		"GlobTool": func() { glob.Register(s, &glob.Options{Policy: policy, MaxOutput: maxOutput, Dir: dir}) },
		"GrepTool": func() { grep.Register(s, &grep.Options{Policy: policy, MaxOutput: maxOutput, Dir: dir}) },
		"LS":       func() { ls.Register(s, &ls.Options{Policy: policy, MaxOutput: maxOutput}) },
	}
	// A binary gets the same confinement and cap as the in-process tools.
	var args []string
	for _, root := range policy.Roots() {
		args = append(args, "-root", root)
	}
	args = append(args, "-max-output", strconv.Itoa(maxOutput))
	var specs []toolbox.ServerSpec
	for _, name := range ToolNames {
		if path := bins[name]; path != "" {
			specs = append(specs, toolbox.ServerSpec{Command: path, Args: args})
			continue
		}
		register[name]()
		inProcess++
	}
	if inProcess > 0 {
		if err := t.addInProcess(ctx, s); err != nil {
			return nil, err
		}
	}
	if len(specs) > 0 {
		tb, err := toolbox.New(ctx, specs, opts)
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("starting the tool binaries: %w", err)
		}
		t.closes = append(t.closes, tb.Close)
		for _, tool := range tb.Tools() {
			t.decls = append(t.decls, tool.Tool)
			t.call[tool.Name] = func(ctx context.Context, args json.RawMessage) (*mcp.CallToolResult, error) {
				return tb.Call(ctx, tool.Name, args)
			}
		}
	}
	return t, nil
}

// addInProcess connects to s in memory and adds its tools.
func (t *toolset) addInProcess(ctx context.Context, s *mcp.Server) error {
	st, ct := mcp.NewInMemoryTransports()
	ss, err := s.Connect(ctx, st, nil)
	if err != nil {
		return fmt.Errorf("serving the tools in-process: %w", err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "dispatch_agent", Version: "v0"}, nil)
	cs, err := client.Connect(ctx, ct, nil)
	if err != nil {
		ss.Close()
		return fmt.Errorf("connecting to the in-process tools: %w", err)
	}
	t.closes = append(t.closes, ss.Close, cs.Close)
	for tool, err := range cs.Tools(ctx, nil) {
		if err != nil {
			return fmt.Errorf("listing the in-process tools: %w", err)
		}
		schema, err := json.Marshal(tool.InputSchema)
		if err != nil {
			return fmt.Errorf("tool %s: input schema: %w", tool.Name, err)
		}
		t.decls = append(t.decls, llm.Tool{Name: tool.Name, Description: tool.Description, Parameters: schema})
		t.call[tool.Name] = func(ctx context.Context, args json.RawMessage) (*mcp.CallToolResult, error) {
			return cs.CallTool(ctx, &mcp.CallToolParams{Name: tool.Name, Arguments: args})
		}
	}
	return nil
}
