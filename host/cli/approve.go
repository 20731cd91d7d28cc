package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// approver is a Toolbox that asks the user before each call of the tools
// it guards (-approve): y runs the call, n refuses it (an
// [agent.Refusal] that tells the model so), always runs this one and
// every later call of the tool. One question is asked at a time.
type approver struct {
	next  agent.Toolbox
	guard func(name string) bool
	ask   func(ctx context.Context, question string) (string, error)

	mu     sync.Mutex // held while a question waits for its answer
	always map[string]bool
}

// newApprover guards the tools of tools whose name, name on their server,
// or server name is one of names.
func newApprover(next agent.Toolbox, tools []toolbox.Tool, names []string, ask func(ctx context.Context, question string) (string, error)) *approver {
	guarded := make(map[string]bool)
	for _, t := range tools {
		if slices.ContainsFunc(names, func(n string) bool {
			return strings.EqualFold(n, t.Name) || strings.EqualFold(n, t.Original) || strings.EqualFold(n, t.Server)
		}) {
			guarded[t.Name] = true
		}
	}
	return &approver{next: next, guard: func(name string) bool { return guarded[name] }, ask: ask, always: make(map[string]bool)}
}

func (a *approver) Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	if a.guard(name) {
		ok, err := a.approve(ctx, name, args)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &agent.Refusal{Reason: fmt.Sprintf("The user refused this call of %s: it was not run. Do not retry it; ask the user what to do instead.", name)}
		}
	}
	return a.next.Call(ctx, name, args)
}

// approve asks whether to run the call, until it gets an answer it
// knows. The end of the input or a Ctrl-C is a refusal.
func (a *approver) approve(ctx context.Context, name string, args json.RawMessage) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.always[name] {
		return true, nil
	}
	question := fmt.Sprintf("Run %s %s? [y/n/always] ", name, short(compact(args), 60))
	for {
		answer, err := a.ask(ctx, question)
		switch {
		case ctx.Err() != nil:
			return false, ctx.Err()
		case errors.Is(err, io.EOF), errors.Is(err, errCtrlC):
			return false, nil
		case err != nil:
			return false, err
		}
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		case "a", "always":
			a.always[name] = true
			return true, nil
		}
	}
}
