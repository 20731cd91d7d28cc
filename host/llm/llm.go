// Package llm is the host's provider-neutral model of a conversation with a
// chat model, and the small Provider interface every model backend
// implements.
//
// The server translates OpenAI requests into a Request, the agent loop sends
// it to a Provider one model turn at a time, and the provider translates it to
// its own wire format (Gemini first). Nothing here does I/O.
package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
)

// Provider is a model backend.
//
// Implementations must be safe for concurrent use.
type Provider interface {
	// Models lists the models the provider serves.
	Models() []Model
	// Stream runs one model turn. It yields deltas as the model produces
	// them and ends after the delta that carries the turn's Finish reason,
	// or with a non-nil error. Cancelling ctx stops the turn.
	Stream(ctx context.Context, req *Request) iter.Seq2[*Delta, error]
}

// Model describes one model a Provider serves.
type Model struct {
	ID      string
	OwnedBy string
	Created int64 // Unix seconds; zero if unknown.
}

// Role says who wrote a Message.
type Role string

// The roles of a conversation. System instructions are not messages: they
// live in Request.System.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// Request is one model turn: the whole conversation so far and what the
// model may do next.
type Request struct {
	Model    string
	System   []string // every system or developer message, in order
	Messages []Message
	Tools    []Tool
	// ToolChoice constrains tool use; the zero value is ToolChoiceAuto.
	ToolChoice ToolChoice
	Options    Options
}

// Message is one entry of the conversation.
type Message struct {
	Role  Role
	Parts []Part
}

// Part is one piece of a message. Exactly one field is set.
type Part struct {
	Text       string
	Media      *Media      // user content: image, audio, PDF
	ToolCall   *ToolCall   // assistant: a function the model asked for
	ToolResult *ToolResult // tool: what a function returned
}

// Media is inline binary content.
type Media struct {
	MIMEType string
	Data     []byte
	Name     string // file name, when the client gave one
}

// ToolCall is a function call the model asked for.
type ToolCall struct {
	// ID is the OpenAI-style call id (call_...), unique in the conversation.
	ID string
	// Name is the tool name as the model knows it.
	Name string
	// Arguments is a JSON object.
	Arguments json.RawMessage
	// Signature is the provider's opaque token for this call (Gemini's
	// thought signature); it must be sent back unchanged in later turns.
	Signature []byte
	// ProviderID is the provider's own id for the call, if it gave one.
	ProviderID string
}

// ToolResult is the answer to a ToolCall.
type ToolResult struct {
	CallID string
	Name   string
	// Content is the result as text (JSON or prose).
	Content string
	// IsError reports that the tool failed; Content says why.
	IsError bool
	// Media holds images or other binary content the tool returned.
	Media []Media
}

// Tool declares a function the model may call.
type Tool struct {
	Name        string
	Description string
	// Parameters is the JSON Schema (type object) of the arguments.
	Parameters json.RawMessage
}

// ToolChoiceMode is what the model may do with the declared tools.
type ToolChoiceMode string

// The tool choice modes, as OpenAI names them.
const (
	ToolChoiceAuto     ToolChoiceMode = "" // the model decides
	ToolChoiceNone     ToolChoiceMode = "none"
	ToolChoiceRequired ToolChoiceMode = "required"
)

// ToolChoice constrains the model's use of tools. When Function is set, the
// model must call that function (Mode is then ignored).
type ToolChoice struct {
	Mode     ToolChoiceMode
	Function string
}

// Options are the sampling and output options of a request. Nil pointers
// leave the provider's default.
type Options struct {
	Temperature     *float64
	TopP            *float64
	MaxTokens       *int
	Seed            *int
	Stop            []string
	ResponseFormat  *ResponseFormat
	IncludeThoughts bool // stream reasoning deltas
	// BuiltinTools names the provider's own tools to enable, such as
	// "code_execution" or "google_search".
	BuiltinTools []string
}

// ResponseFormat asks for JSON output, optionally matching a schema.
type ResponseFormat struct {
	Schema json.RawMessage // nil for any JSON object
}

// Delta is a piece of a model turn. Any combination of fields may be set.
type Delta struct {
	Text      string
	Reasoning string
	// ToolCalls are complete calls: providers assemble streamed arguments.
	ToolCalls []ToolCall
	// Usage, when set, is the usage of the whole turn so far; the last one
	// a turn yields is its total.
	Usage *Usage
	// Finish is set on the last delta of a turn.
	Finish FinishReason
}

// FinishReason is why a model turn ended.
type FinishReason string

// The finish reasons, as OpenAI names them.
const (
	FinishStop          FinishReason = "stop"
	FinishLength        FinishReason = "length"
	FinishToolCalls     FinishReason = "tool_calls"
	FinishContentFilter FinishReason = "content_filter"
)

// Usage counts tokens.
type Usage struct {
	PromptTokens     int
	CompletionTokens int // includes ReasoningTokens
	ReasoningTokens  int
	CachedTokens     int
}

// Add adds u2 to u.
func (u *Usage) Add(u2 Usage) {
	u.PromptTokens += u2.PromptTokens
	u.CompletionTokens += u2.CompletionTokens
	u.ReasoningTokens += u2.ReasoningTokens
	u.CachedTokens += u2.CachedTokens
}

// TotalTokens is prompt plus completion tokens.
func (u Usage) TotalTokens() int { return u.PromptTokens + u.CompletionTokens }

// Error is an error the model service answered with. Providers return it (or
// wrap it) so the server can give the client a fitting status.
type Error struct {
	// StatusCode is the HTTP status of the upstream answer, such as 400,
	// 404, 429 or 503.
	StatusCode int
	// Status is the upstream's status name, such as "RESOURCE_EXHAUSTED".
	Status  string
	Message string
	// RetryAfter is the upstream's advice in seconds; zero if none.
	RetryAfter int
}

func (e *Error) Error() string {
	if e.Status != "" {
		return fmt.Sprintf("model service: %d %s: %s", e.StatusCode, e.Status, e.Message)
	}
	return fmt.Sprintf("model service: %d: %s", e.StatusCode, e.Message)
}
