package agent

import (
	"time"

	"github.com/owulveryck/gomcptest/host/llm"
)

// EventKind says what an Event reports.
type EventKind int

// The kinds of Event.
const (
	// EventText is a piece of the answer's text (Event.Text).
	EventText EventKind = iota + 1
	// EventReasoning is a piece of the model's reasoning (Event.Text).
	EventReasoning
	// EventToolCall is a host-side tool call about to run (Event.ToolCall).
	EventToolCall
	// EventToolResult is the end of a host-side call (Event.ToolResult,
	// Event.Duration).
	EventToolResult
	// EventClientToolCalls are calls handed to the client (Event.ToolCalls).
	EventClientToolCalls
	// EventUsage is the token usage of the whole run (Event.Usage).
	EventUsage
	// EventFinish ends a run (Event.Finish, and Event.Steps, the model
	// turns it took).
	EventFinish
)

// Event is one thing that happened during a run. Which fields are set
// depends on Kind.
type Event struct {
	Kind       EventKind
	Text       string
	ToolCall   *llm.ToolCall
	ToolCalls  []llm.ToolCall
	ToolResult *llm.ToolResult
	Duration   time.Duration
	Usage      *llm.Usage
	Finish     llm.FinishReason
	Steps      int
	// Refused marks the result of a call that was not run (a tool not
	// offered, past the turn's cap).
	Refused bool
}
