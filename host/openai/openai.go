// Package openai holds the wire types of the OpenAI Chat Completions API as
// the host serves it: requests, responses, streamed chunks, errors, models,
// and the host's own tool-event frames. It does no I/O.
//
// Requests are decoded leniently (unknown fields are ignored, content may be
// a string or a list of parts), as real clients send many variants.
package openai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ChatRequest is the body of POST /v1/chat/completions.
type ChatRequest struct {
	Model               string          `json:"model"`
	Messages            []Message       `json:"messages"`
	Stream              bool            `json:"stream,omitempty"`
	StreamOptions       *StreamOptions  `json:"stream_options,omitempty"`
	Tools               []Tool          `json:"tools,omitempty"`
	ToolChoice          json.RawMessage `json:"tool_choice,omitempty"`
	ParallelToolCalls   *bool           `json:"parallel_tool_calls,omitempty"`
	Temperature         *float64        `json:"temperature,omitempty"`
	TopP                *float64        `json:"top_p,omitempty"`
	MaxTokens           *int            `json:"max_tokens,omitempty"`
	MaxCompletionTokens *int            `json:"max_completion_tokens,omitempty"`
	Stop                StringList      `json:"stop,omitempty"`
	Seed                *int            `json:"seed,omitempty"`
	N                   *int            `json:"n,omitempty"`
	ResponseFormat      *ResponseFormat `json:"response_format,omitempty"`
	ReasoningEffort     string          `json:"reasoning_effort,omitempty"`
	// IncludeReasoning asks for reasoning_content deltas (an extension
	// several gateways share).
	IncludeReasoning bool   `json:"include_reasoning,omitempty"`
	User             string `json:"user,omitempty"`
	// Functions and FunctionCall are the legacy forms of Tools and
	// ToolChoice; the host refuses them, saying so, rather than ignore
	// them.
	Functions    json.RawMessage `json:"functions,omitempty"`
	FunctionCall json.RawMessage `json:"function_call,omitempty"`
}

// StreamOptions are the options of a streamed request.
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage,omitempty"`
}

// ResponseFormat asks for JSON output.
type ResponseFormat struct {
	Type       string      `json:"type"` // text, json_object, json_schema
	JSONSchema *JSONSchema `json:"json_schema,omitempty"`
}

// JSONSchema is a named schema for response_format json_schema.
type JSONSchema struct {
	Name   string          `json:"name"`
	Schema json.RawMessage `json:"schema,omitempty"`
	Strict bool            `json:"strict,omitempty"`
}

// Message is one message of a conversation.
type Message struct {
	Role       string     `json:"role"`
	Content    Content    `json:"content"`
	Name       string     `json:"name,omitempty"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
	// FunctionCall is the legacy form of a single tool call.
	FunctionCall *FunctionCall `json:"function_call,omitempty"`
	// ReasoningContent is the model's reasoning, when it was asked for.
	ReasoningContent string `json:"reasoning_content,omitempty"`
}

// Content is a message's content: a plain string, or a list of parts. A
// string decodes as a single text part.
type Content struct {
	Parts []ContentPart
	// IsNull reports that the content was null or absent.
	IsNull bool
}

// Text returns a string content.
func Text(s string) Content { return Content{Parts: []ContentPart{{Type: "text", Text: s}}} }

// String concatenates the text parts.
func (c Content) String() string {
	if len(c.Parts) == 1 {
		return c.Parts[0].Text
	}
	var b bytes.Buffer
	for _, p := range c.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// UnmarshalJSON accepts a string, null, or an array of parts.
func (c *Content) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*c = Content{IsNull: true}
		return nil
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*c = Text(s)
		return nil
	case len(data) > 0 && data[0] == '[':
		var parts []ContentPart
		if err := json.Unmarshal(data, &parts); err != nil {
			return err
		}
		*c = Content{Parts: parts}
		return nil
	}
	return errors.New("content must be a string, an array of parts, or null")
}

// MarshalJSON writes a single text part as a string, no parts as null.
func (c Content) MarshalJSON() ([]byte, error) {
	switch {
	case c.IsNull || c.Parts == nil:
		return []byte("null"), nil
	case len(c.Parts) == 1 && c.Parts[0].Type == "text":
		return json.Marshal(c.Parts[0].Text)
	}
	return json.Marshal(c.Parts)
}

// ContentPart is one part of a multimodal message.
type ContentPart struct {
	Type       string      `json:"type"` // text, image_url, input_audio, file
	Text       string      `json:"text,omitempty"`
	ImageURL   *ImageURL   `json:"image_url,omitempty"`
	InputAudio *InputAudio `json:"input_audio,omitempty"`
	File       *File       `json:"file,omitempty"`
}

// ImageURL is an image, usually a data URL.
type ImageURL struct {
	URL    string `json:"url"`
	Detail string `json:"detail,omitempty"`
}

// InputAudio is base64 audio in a named format (wav, mp3).
type InputAudio struct {
	Data   string `json:"data"`
	Format string `json:"format"`
}

// File is a file sent inline as a data URL.
type File struct {
	FileData string `json:"file_data,omitempty"`
	Filename string `json:"filename,omitempty"`
	FileID   string `json:"file_id,omitempty"`
}

// Tool is a function the client declares.
type Tool struct {
	Type     string   `json:"type"`
	Function Function `json:"function"`
}

// Function declares a function.
type Function struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
	Strict      bool            `json:"strict,omitempty"`
}

// ToolCall is a call the model made. In streamed deltas Index says which
// call a fragment belongs to.
type ToolCall struct {
	Index        *int          `json:"index,omitempty"`
	ID           string        `json:"id,omitempty"`
	Type         string        `json:"type,omitempty"`
	Function     FunctionCall  `json:"function"`
	ExtraContent *ExtraContent `json:"extra_content,omitempty"`
}

// FunctionCall names a function and its JSON-encoded arguments.
type FunctionCall struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

// ExtraContent carries provider data on a tool call, the way Google's own
// OpenAI-compatible layer does.
type ExtraContent struct {
	Google *GoogleExtra `json:"google,omitempty"`
}

// GoogleExtra holds Gemini's thought signature, base64-encoded.
type GoogleExtra struct {
	ThoughtSignature string `json:"thought_signature,omitempty"`
}

// StringList is a string or an array of strings.
type StringList []string

// UnmarshalJSON accepts a string, an array of strings, or null (no
// strings).
func (l *StringList) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*l = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*l = StringList{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(data, &ss); err != nil {
		return errors.New("must be a string or an array of strings")
	}
	*l = ss
	return nil
}

// ChatCompletion is the answer to a non-streamed request.
type ChatCompletion struct {
	ID      string   `json:"id"`
	Object  string   `json:"object"` // chat.completion
	Created int64    `json:"created"`
	Model   string   `json:"model"`
	Choices []Choice `json:"choices"`
	Usage   *Usage   `json:"usage,omitempty"`
}

// Choice is one answer of a ChatCompletion.
type Choice struct {
	Index        int     `json:"index"`
	Message      Message `json:"message"`
	FinishReason string  `json:"finish_reason"`
}

// Chunk is one frame of a streamed answer.
type Chunk struct {
	ID      string        `json:"id"`
	Object  string        `json:"object"` // chat.completion.chunk
	Created int64         `json:"created"`
	Model   string        `json:"model"`
	Choices []ChunkChoice `json:"choices"`
	// Usage is null on every chunk but the last when the client asked for
	// usage, and absent otherwise.
	Usage json.RawMessage `json:"usage,omitempty"`
}

// ChunkChoice is the delta of one choice.
type ChunkChoice struct {
	Index        int     `json:"index"`
	Delta        Delta   `json:"delta"`
	FinishReason *string `json:"finish_reason"`
}

// Delta is what a chunk adds to the message.
type Delta struct {
	Role             string     `json:"role,omitempty"`
	Content          *string    `json:"content,omitempty"`
	ReasoningContent string     `json:"reasoning_content,omitempty"`
	ToolCalls        []ToolCall `json:"tool_calls,omitempty"`
}

// Usage counts tokens.
type Usage struct {
	PromptTokens            int                      `json:"prompt_tokens"`
	CompletionTokens        int                      `json:"completion_tokens"`
	TotalTokens             int                      `json:"total_tokens"`
	PromptTokensDetails     *PromptTokensDetails     `json:"prompt_tokens_details,omitempty"`
	CompletionTokensDetails *CompletionTokensDetails `json:"completion_tokens_details,omitempty"`
}

// PromptTokensDetails breaks prompt tokens down.
type PromptTokensDetails struct {
	CachedTokens int `json:"cached_tokens"`
}

// CompletionTokensDetails breaks completion tokens down.
type CompletionTokensDetails struct {
	ReasoningTokens int `json:"reasoning_tokens"`
}

// ErrorResponse is the body of every error answer, and the payload of an
// error frame in a stream.
type ErrorResponse struct {
	Error Error `json:"error"`
}

// Error describes what went wrong.
type Error struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e *Error) String() string { return fmt.Sprintf("%s: %s", e.Type, e.Message) }

// ModelList is the body of GET /v1/models.
type ModelList struct {
	Object string  `json:"object"` // list
	Data   []Model `json:"data"`
}

// Model is one model.
type Model struct {
	ID      string `json:"id"`
	Object  string `json:"object"` // model
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// ToolList is the body of GET /v1/tools, the host's MCP tools.
type ToolList struct {
	Tools []ToolInfo `json:"tools"`
}

// ToolInfo describes one tool the host can offer: an MCP tool, or one of
// the model's built-in tools (Builtin, with no server and no schema).
type ToolInfo struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Server      string          `json:"server"`
	InputSchema json.RawMessage `json:"input_schema"`
	Builtin     bool            `json:"builtin,omitempty"`
}

// ToolCallEvent is the frame the host streams when it starts one of its own
// tool calls (object "tool.call").
type ToolCallEvent struct {
	ID        string           `json:"id"`
	Object    string           `json:"object"`
	Created   int64            `json:"created"`
	EventType string           `json:"event_type"` // tool_call
	ToolCall  ToolCallEventArg `json:"tool_call"`
}

// ToolCallEventArg is the call inside a ToolCallEvent.
type ToolCallEventArg struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"` // a JSON object
	// ExtraContent carries the call's thought signature, so that a client
	// replaying the history as assistant tool_calls can send it back.
	ExtraContent *ExtraContent `json:"extra_content,omitempty"`
}

// ToolResponseEvent is the frame the host streams when one of its tool calls
// ends (object "tool.response").
type ToolResponseEvent struct {
	ID           string          `json:"id"`
	Object       string          `json:"object"`
	Created      int64           `json:"created"`
	EventType    string          `json:"event_type"` // tool_response
	ToolResponse ToolResponseArg `json:"tool_response"`
}

// ToolResponseArg is the result inside a ToolResponseEvent.
type ToolResponseArg struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Response string `json:"response"`
	// Error is set when the tool failed.
	Error string `json:"error"`
	// DurationMS is how long the call took.
	DurationMS int64 `json:"duration_ms"`
	// Images are the images the tool returned, as data: URLs.
	Images []string `json:"images,omitempty"`
}
