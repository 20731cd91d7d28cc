package fakegemini

import (
	"context"
	"encoding/json"
)

// A Responder decides the model's answer to one request. Scenarios and the
// offline model are Responders. Respond must be safe for concurrent use if
// the Server is used concurrently. An error from Respond is answered with
// HTTP 500, or with its own status when it is an *Error.
type Responder interface {
	Respond(ctx context.Context, req *Request) (*Turn, error)
}

// ResponderFunc adapts a function to a Responder.
type ResponderFunc func(ctx context.Context, req *Request) (*Turn, error)

// Respond calls f.
func (f ResponderFunc) Respond(ctx context.Context, req *Request) (*Turn, error) {
	return f(ctx, req)
}

// A Turn is one model answer. Streamed, each Chunk becomes one SSE event
// (a full GenerateContentResponse); the finish reason and the usage ride on
// the last one. Not streamed, the chunks are merged into one response.
//
// A Turn with Err set answers with that HTTP error and nothing else. Fail
// and Cut describe a failure after the chunks were streamed: an error event
// in the stream, or a connection dropped without a word.
type Turn struct {
	Chunks []Chunk
	// FinishReason defaults to STOP, or to nothing when the prompt is blocked.
	FinishReason  string
	FinishMessage string
	// Usage defaults to word counts of the request and the answer.
	Usage          *UsageMetadata
	PromptFeedback *PromptFeedback
	// ModelVersion defaults to the model named in the URL.
	ModelVersion string
	// FinishContent, when set, adds a last chunk without parts that carries
	// the finish: its content is {} ("{}"), {"role":"model"} ("role"), or
	// left out ("none"), the shapes of a SAFETY, MAX_TOKENS or MODEL_ARMOR
	// stop.
	FinishContent string
	// Metadata goes on the candidate that carries the finish reason.
	Metadata CandidateMetadata

	Err  *Error
	Fail *Error
	Cut  bool
}

// A Chunk is the parts streamed in one SSE event. Several function calls
// in one chunk are parallel calls delivered together.
type Chunk struct {
	Parts []*Part
	// Stream, when set, streams the arguments of the chunk's one function
	// call over several events (see ArgStream).
	Stream *ArgStream
	// Metadata goes on the chunk's candidate (on the last event of a
	// streamed call).
	Metadata CandidateMetadata
}

// CandidateMetadata is what a candidate carries besides its content. When
// any candidate of a turn has grounding metadata, the others get an empty
// one ({}), as the services send during a grounded answer.
type CandidateMetadata struct {
	SafetyRatings      []*SafetyRating
	GroundingMetadata  json.RawMessage
	URLContextMetadata json.RawMessage
}

// An ArgStream streams the arguments of a function call the way Vertex does
// when the request sets toolConfig.functionCallingConfig.
// streamFunctionCallArguments: an event with the call's name (and
// signature) and willContinue, one event per value in Args order (a string
// whole with willContinue, then closed by an empty piece), then an event
// with an empty functionCall. Otherwise, and in a non-streaming answer, the
// call is sent whole.
type ArgStream struct {
	// Args are the values in the order the model writes them.
	Args []*PartialArg
	// Always streams the arguments even when the request did not ask.
	Always bool
	// Unterminated leaves out the closing empty functionCall event, and the
	// willContinue of the last value's event, as seen from Vertex.
	Unterminated bool
}

// Text returns a chunk holding one text part.
func Text(s string) Chunk { return Chunk{Parts: []*Part{{Text: s}}} }

// Thought returns a chunk holding one thought part.
func Thought(s string) Chunk { return Chunk{Parts: []*Part{{Text: s, Thought: true}}} }

// Call returns a chunk holding one function call part.
func Call(name string, args map[string]any, id, signature string) Chunk {
	return Chunk{Parts: []*Part{{
		FunctionCall:     &FunctionCall{ID: id, Name: name, Args: args},
		ThoughtSignature: signature,
	}}}
}
