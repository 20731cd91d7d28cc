package fakegemini

import "context"

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

	Err  *Error
	Fail *Error
	Cut  bool
}

// A Chunk is the parts streamed in one SSE event. Several function calls
// in one chunk are parallel calls delivered together.
type Chunk struct {
	Parts []*Part
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
