package agent_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/llm/llmtest"
)

// fakeTools answers every call with a function of its name and arguments.
type fakeTools struct {
	mu    sync.Mutex
	calls []string
	fn    func(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error)
}

func (f *fakeTools) Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	f.mu.Lock()
	f.calls = append(f.calls, name)
	f.mu.Unlock()
	return f.fn(ctx, name, args)
}

func textResult(s string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}
}

func userRequest(text string, tools ...string) *llm.Request {
	req := &llm.Request{Model: "test-model", Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: text}}}}}
	for _, t := range tools {
		req.Tools = append(req.Tools, llm.Tool{Name: t, Parameters: json.RawMessage(`{"type":"object"}`)})
	}
	return req
}

func run(t *testing.T, a *agent.Agent, in agent.Input) ([]agent.Event, error) {
	t.Helper()
	var events []agent.Event
	err := a.Run(t.Context(), in, func(e agent.Event) error {
		events = append(events, e)
		return nil
	})
	return events, err
}

func kinds(events []agent.Event) []agent.EventKind {
	out := make([]agent.EventKind, len(events))
	for i, e := range events {
		out[i] = e.Kind
	}
	return out
}

func TestTextAnswer(t *testing.T) {
	p := llmtest.New(llmtest.Text("Hello", ", world"))
	events, err := run(t, agent.New(p, nil, nil), agent.Input{Request: userRequest("hi")})
	require.NoError(t, err)
	assert.Equal(t, []agent.EventKind{agent.EventText, agent.EventText, agent.EventUsage, agent.EventFinish}, kinds(events))
	assert.Equal(t, llm.FinishStop, events[3].Finish)
}

func TestHostToolCallFeedsResultBack(t *testing.T) {
	p := llmtest.New(
		llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "sleep", Arguments: json.RawMessage(`{"seconds":1}`), Signature: []byte("sig")}),
		llmtest.Text("Done."),
	)
	tools := &fakeTools{fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
		return textResult("Slept for 1 seconds"), nil
	}}
	events, err := run(t, agent.New(p, tools, nil), agent.Input{Request: userRequest("sleep 1", "sleep")})
	require.NoError(t, err)
	assert.Equal(t, []agent.EventKind{agent.EventToolCall, agent.EventToolResult, agent.EventText, agent.EventUsage, agent.EventFinish}, kinds(events))
	assert.Equal(t, "Slept for 1 seconds", events[1].ToolResult.Content)
	// Usage is summed over both model calls.
	assert.Equal(t, 20, events[3].Usage.PromptTokens)

	reqs := p.Requests()
	require.Len(t, reqs, 2)
	second := reqs[1].Messages
	require.Len(t, second, 3)
	assert.Equal(t, llm.RoleAssistant, second[1].Role)
	assert.Equal(t, []byte("sig"), second[1].Parts[0].ToolCall.Signature, "the signature goes back to the model")
	assert.Equal(t, llm.RoleTool, second[2].Role)
	assert.Equal(t, "call_1", second[2].Parts[0].ToolResult.CallID)
}

func TestParallelCallsRunConcurrently(t *testing.T) {
	p := llmtest.New(
		llmtest.Calls(
			llm.ToolCall{ID: "call_a", Name: "wait", Arguments: json.RawMessage(`{}`)},
			llm.ToolCall{ID: "call_b", Name: "wait", Arguments: json.RawMessage(`{}`)},
		),
		llmtest.Text("ok"),
	)
	// Each call waits until both have started: sequential calls would never
	// end, so the test would time out instead of passing.
	var started sync.WaitGroup
	started.Add(2)
	tools := &fakeTools{fn: func(ctx context.Context, _ string, _ json.RawMessage) (*mcp.CallToolResult, error) {
		started.Done()
		started.Wait()
		return textResult("done"), nil
	}}
	_, err := run(t, agent.New(p, tools, nil), agent.Input{Request: userRequest("go", "wait")})
	require.NoError(t, err)
	results := p.Requests()[1].Messages[2].Parts
	require.Len(t, results, 2)
	assert.Equal(t, "call_a", results[0].ToolResult.CallID, "results go back in call order")
	assert.Equal(t, "call_b", results[1].ToolResult.CallID)
}

func TestClientToolCallEndsRun(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "get_weather", Arguments: json.RawMessage(`{"city":"Paris"}`)}))
	tools := &fakeTools{fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
		return nil, errors.New("must not be called")
	}}
	events, err := run(t, agent.New(p, tools, nil), agent.Input{Request: userRequest("weather?", "get_weather"), ClientTools: map[string]bool{"get_weather": true}})
	require.NoError(t, err)
	assert.Equal(t, []agent.EventKind{agent.EventClientToolCalls, agent.EventUsage, agent.EventFinish}, kinds(events))
	assert.Equal(t, llm.FinishToolCalls, events[2].Finish)
	assert.Empty(t, tools.calls)
}

func TestToolFailureReachesModel(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "broken", Arguments: json.RawMessage(`{}`)}), llmtest.Text("sorry"))
	tools := &fakeTools{fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
		return nil, context.DeadlineExceeded
	}}
	events, err := run(t, agent.New(p, tools, nil), agent.Input{Request: userRequest("go", "broken")})
	require.NoError(t, err)
	res := events[1].ToolResult
	assert.True(t, res.IsError)
	assert.Contains(t, res.Content, "deadline exceeded")
	assert.True(t, p.Requests()[1].Messages[2].Parts[0].ToolResult.IsError)
}

// A Toolbox that refuses a call gives the model its reason, word for
// word, and the event says refused, not failed: the tool never ran.
func TestRefusalIsNotAToolFailure(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "Bash", Arguments: json.RawMessage(`{}`)}), llmtest.Text("ok"))
	tools := &fakeTools{fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
		return nil, fmt.Errorf("approving: %w", &agent.Refusal{Reason: "The user said no."})
	}}
	events, err := run(t, agent.New(p, tools, nil), agent.Input{Request: userRequest("go", "Bash")})
	require.NoError(t, err)
	assert.True(t, events[1].Refused)
	assert.Equal(t, "The user said no.", events[1].ToolResult.Content)
	sent := p.Requests()[1].Messages[2].Parts[0].ToolResult
	assert.True(t, sent.IsError)
	assert.Equal(t, "The user said no.", sent.Content)
}

func TestStepLimit(t *testing.T) {
	call := llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "again", Arguments: json.RawMessage(`{}`)})
	p := llmtest.New(call, call, call)
	tools := &fakeTools{fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
		return textResult("again"), nil
	}}
	events, err := run(t, agent.New(p, tools, &agent.Options{MaxSteps: 3}), agent.Input{Request: userRequest("loop", "again")})
	require.NoError(t, err)
	last := events[len(events)-1]
	assert.Equal(t, agent.EventFinish, last.Kind)
	text := events[len(events)-3]
	assert.Equal(t, agent.EventText, text.Kind)
	assert.Contains(t, text.Text, "stopped after 3 model turns")
	assert.Zero(t, p.Unused())
}

func TestCancelStopsRunningTool(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "slow", Arguments: json.RawMessage(`{}`)}))
	ctx, cancel := context.WithCancel(t.Context())
	tools := &fakeTools{fn: func(ctx context.Context, _ string, _ json.RawMessage) (*mcp.CallToolResult, error) {
		cancel() // the client goes away while the tool runs
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	err := agent.New(p, tools, nil).Run(ctx, agent.Input{Request: userRequest("go", "slow")}, func(agent.Event) error { return nil })
	assert.ErrorIs(t, err, context.Canceled)
}

func TestProviderErrorStopsRun(t *testing.T) {
	p := llmtest.New(llmtest.Turn{Deltas: []llm.Delta{{Text: "partial"}}, Err: &llm.Error{StatusCode: 429, Message: "slow down"}})
	events, err := run(t, agent.New(p, nil, nil), agent.Input{Request: userRequest("hi")})
	var le *llm.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 429, le.StatusCode)
	assert.Equal(t, []agent.EventKind{agent.EventText}, kinds(events))
}

func TestMCPContentConversion(t *testing.T) {
	p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "call_1", Name: "shot", Arguments: json.RawMessage(`{}`)}), llmtest.Text("ok"))
	tools := &fakeTools{fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{
			&mcp.TextContent{Text: "line one"},
			&mcp.ImageContent{MIMEType: "image/png", Data: []byte{0x89, 'P', 'N', 'G'}},
			&mcp.TextContent{Text: "line two"},
		}}, nil
	}}
	events, err := run(t, agent.New(p, tools, nil), agent.Input{Request: userRequest("go", "shot")})
	require.NoError(t, err)
	res := events[1].ToolResult
	assert.Equal(t, "line one\nline two", res.Content)
	require.Len(t, res.Media, 1)
	assert.Equal(t, "image/png", res.Media[0].MIMEType)
	assert.False(t, strings.Contains(res.Content, "PNG"))
}

func TestTurnsTextSeparated(t *testing.T) {
	p := llmtest.New(
		llmtest.Turn{Deltas: []llm.Delta{{Text: "Let me look."}, {ToolCalls: []llm.ToolCall{{ID: "call_1", Name: "LS", Arguments: json.RawMessage(`{}`)}}}, {Finish: llm.FinishToolCalls}}},
		llmtest.Text("Two files."),
	)
	tools := &fakeTools{fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
		return textResult("a b"), nil
	}}
	events, err := run(t, agent.New(p, tools, nil), agent.Input{Request: userRequest("list", "LS")})
	require.NoError(t, err)
	var text strings.Builder
	for _, e := range events {
		if e.Kind == agent.EventText {
			text.WriteString(e.Text)
		}
	}
	assert.Equal(t, "Let me look.\n\nTwo files.", text.String())
	// The model's own history keeps each turn's text as it was.
	assert.Equal(t, "Let me look.", p.Requests()[1].Messages[1].Parts[0].Text)
}

func TestMixedTurnKeepsSignatureForClient(t *testing.T) {
	p := llmtest.New(llmtest.Calls(
		llm.ToolCall{ID: "call_h", Name: "sleep", Arguments: json.RawMessage(`{}`), Signature: []byte("sig")},
		llm.ToolCall{ID: "call_c", Name: "get_weather", Arguments: json.RawMessage(`{}`)},
	))
	events, err := run(t, agent.New(p, nil, nil), agent.Input{Request: userRequest("go", "sleep", "get_weather"), ClientTools: map[string]bool{"get_weather": true}})
	require.NoError(t, err)
	calls := events[0].ToolCalls
	require.Len(t, calls, 1)
	assert.Equal(t, "call_c", calls[0].ID)
	assert.Equal(t, []byte("sig"), calls[0].Signature, "the turn's signature goes back with the calls the client sees")
}

func TestForcedToolChoiceIsForcedOnce(t *testing.T) {
	for name, choice := range map[string]llm.ToolChoice{
		"required": {Mode: llm.ToolChoiceRequired},
		"named":    {Function: "sleep"},
	} {
		t.Run(name, func(t *testing.T) {
			p := llmtest.New(llmtest.Calls(llm.ToolCall{ID: "c1", Name: "sleep", Arguments: json.RawMessage(`{}`)}), llmtest.Text("done"))
			tools := &fakeTools{fn: func(context.Context, string, json.RawMessage) (*mcp.CallToolResult, error) {
				return textResult("slept"), nil
			}}
			req := userRequest("sleep", "sleep")
			req.ToolChoice = choice
			_, err := run(t, agent.New(p, tools, nil), agent.Input{Request: req})
			require.NoError(t, err)
			reqs := p.Requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, choice, reqs[0].ToolChoice, "the first turn is forced")
			assert.Equal(t, llm.ToolChoice{}, reqs[1].ToolChoice, "once the forced call has run, the model chooses")
			assert.Equal(t, choice, req.ToolChoice, "the caller's request is unchanged")
		})
	}
}
