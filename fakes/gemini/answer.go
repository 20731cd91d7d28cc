package fakegemini

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// render turns t into the responses of a stream, in the shapes the real
// services send: every chunk a full GenerateContentResponse with the same
// responseId and modelVersion; the Gemini API numbers the candidate
// ("index":0) while Vertex stamps createTime instead; usage rides on every
// chunk, and the finish reason on the last.
func (s *Server) render(req *Request, t *Turn) []*Response {
	id := s.responseID()
	version := t.ModelVersion
	if version == "" {
		version = req.Model
	}
	usage := t.Usage
	if usage == nil {
		usage = countUsage(req, t)
	}
	usage = withTotal(usage)

	base := func() *Response {
		r := &Response{ModelVersion: version, ResponseID: id}
		if req.Vertex {
			r.CreateTime = s.opts.Now().UTC().Format(time.RFC3339Nano)
		}
		return r
	}
	if t.PromptFeedback != nil {
		r := base()
		r.PromptFeedback = t.PromptFeedback
		r.UsageMetadata = usage
		return []*Response{r}
	}

	chunks := expand(req, t.Chunks)
	switch {
	case t.FinishContent != "" && t.Fail == nil && !t.Cut:
		chunks = append(chunks, Chunk{})
	case len(chunks) == 0 && t.Fail == nil && !t.Cut:
		// A turn with nothing to say still ends, as Gemini does, with an
		// empty text part carrying the finish reason.
		chunks = []Chunk{Text("")}
	}
	grounded := t.Metadata.GroundingMetadata != nil
	for _, c := range chunks {
		grounded = grounded || c.Metadata.GroundingMetadata != nil
	}
	var out []*Response
	for i, c := range chunks {
		r := base()
		final := i == len(chunks)-1 && t.Fail == nil && !t.Cut
		cand := &Candidate{Content: &Content{Role: "model", Parts: c.Parts}}
		if final && t.FinishContent != "" && len(c.Parts) == 0 {
			cand.Content = finishContent(t.FinishContent)
		}
		if !req.Vertex {
			cand.Index = new(int)
		}
		meta := c.Metadata
		if final {
			meta = meta.with(t.Metadata)
		}
		cand.SafetyRatings, cand.GroundingMetadata, cand.URLContextMetadata = meta.SafetyRatings, meta.GroundingMetadata, meta.URLContextMetadata
		if grounded && cand.GroundingMetadata == nil {
			cand.GroundingMetadata = json.RawMessage("{}")
		}
		r.Candidates = []*Candidate{cand}
		if usage.TrafficType != "" {
			r.UsageMetadata = &UsageMetadata{TrafficType: usage.TrafficType}
		} else {
			r.UsageMetadata = &UsageMetadata{PromptTokenCount: usage.PromptTokenCount, TotalTokenCount: usage.PromptTokenCount}
		}
		if final {
			cand.FinishReason = t.FinishReason
			if cand.FinishReason == "" {
				cand.FinishReason = "STOP"
			}
			cand.FinishMessage = t.FinishMessage
			r.UsageMetadata = usage
		}
		out = append(out, r)
	}
	return out
}

// finishContent is the content of a finish without parts.
func finishContent(kind string) *Content {
	switch kind {
	case "{}":
		return &Content{}
	case "role":
		return &Content{Role: "model"}
	}
	return nil
}

// with returns m completed by the fields of n it lacks; safety ratings
// add up.
func (m CandidateMetadata) with(n CandidateMetadata) CandidateMetadata {
	m.SafetyRatings = append(slices.Clip(m.SafetyRatings), n.SafetyRatings...)
	if m.GroundingMetadata == nil {
		m.GroundingMetadata = n.GroundingMetadata
	}
	if m.URLContextMetadata == nil {
		m.URLContextMetadata = n.URLContextMetadata
	}
	return m
}

// expand replaces each chunk whose call streams its arguments by the
// events Vertex sends, when the call is streamed and the arguments are to
// be streamed (see ArgStream).
func expand(req *Request, chunks []Chunk) []Chunk {
	var out []Chunk
	for _, c := range chunks {
		if c.Stream == nil || !req.Stream || !(c.Stream.Always || req.streamsArguments()) {
			out = append(out, c)
			continue
		}
		out = append(out, streamCall(c)...)
	}
	return out
}

// streamCall renders a call as the events of streamFunctionCallArguments.
func streamCall(c Chunk) []Chunk {
	whole := c.Parts[0]
	event := func(fc *FunctionCall, sig string) Chunk {
		return Chunk{Parts: []*Part{{FunctionCall: fc, ThoughtSignature: sig}}}
	}
	out := []Chunk{event(&FunctionCall{ID: whole.FunctionCall.ID, Name: whole.FunctionCall.Name, WillContinue: new(true)}, whole.ThoughtSignature)}
	piece := func(pa PartialArg) {
		out = append(out, event(&FunctionCall{PartialArgs: []*PartialArg{&pa}, WillContinue: new(true)}, ""))
	}
	for _, a := range c.Stream.Args {
		if a.StringValue == nil {
			piece(*a)
			continue
		}
		first := *a
		first.WillContinue = new(true)
		piece(first)
		piece(PartialArg{JSONPath: a.JSONPath, StringValue: new("")})
	}
	if c.Stream.Unterminated {
		out[len(out)-1].Parts[0].FunctionCall.WillContinue = nil
	} else {
		out = append(out, event(&FunctionCall{}, ""))
	}
	out[len(out)-1].Metadata = c.Metadata
	return out
}

// merge folds streamed responses into one non-streaming response:
// the parts in order, adjacent plain text parts joined.
func merge(chunks []*Response) *Response {
	if len(chunks) == 0 {
		return &Response{}
	}
	last := chunks[len(chunks)-1]
	out := *last
	if len(last.Candidates) == 0 {
		return &out
	}
	cand := *last.Candidates[0]
	var parts []*Part
	for _, r := range chunks {
		if r.Candidates[0].Content == nil {
			continue
		}
		for _, p := range r.Candidates[0].Content.Parts {
			n := len(parts)
			if n > 0 && joinable(parts[n-1], p) {
				joined := *parts[n-1]
				joined.Text += p.Text
				parts[n-1] = &joined
				continue
			}
			parts = append(parts, p)
		}
	}
	if len(parts) > 0 {
		cand.Content = &Content{Role: "model", Parts: parts}
	}
	out.Candidates = []*Candidate{&cand}
	return &out
}

func joinable(a, b *Part) bool {
	plain := func(p *Part) bool {
		return p.FunctionCall == nil && p.FunctionResponse == nil && p.ThoughtSignature == "" && p.InlineData == nil
	}
	return plain(a) && plain(b) && a.Thought == b.Thought
}

// writeSSE streams chunks as "data: " events, flushing each, then fails the
// stream if the turn says so.
func writeSSE(w http.ResponseWriter, chunks []*Response, t *Turn) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	flush := func() {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	flush()
	for _, c := range chunks {
		b, _ := json.Marshal(c)
		w.Write([]byte("data: "))
		w.Write(b)
		w.Write([]byte("\r\n\r\n"))
		flush()
	}
	if t.Fail != nil {
		w.Write([]byte("data: "))
		w.Write(t.Fail.body())
		w.Write([]byte("\r\n\r\n"))
		flush()
	}
	if t.Cut {
		// Abort without ending the chunked body: the client sees an
		// unexpected EOF, as when a connection drops.
		panic(http.ErrAbortHandler)
	}
}

// writeArray answers streamGenerateContent without alt=sse: one JSON array
// of responses, as older clients expect.
func writeArray(w http.ResponseWriter, chunks []*Response, t *Turn) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("["))
	for i, c := range chunks {
		if i > 0 {
			w.Write([]byte(",\r\n"))
		}
		b, _ := json.Marshal(c)
		w.Write(b)
	}
	if t.Fail != nil {
		if len(chunks) > 0 {
			w.Write([]byte(",\r\n"))
		}
		w.Write(t.Fail.body())
	}
	if t.Cut {
		panic(http.ErrAbortHandler)
	}
	w.Write([]byte("]"))
}

func writeUnary(w http.ResponseWriter, r *Response, t *Turn) {
	if t.Cut {
		panic(http.ErrAbortHandler)
	}
	if t.Fail != nil {
		writeError(w, t.Fail)
		return
	}
	b, _ := json.Marshal(r)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Write(b)
}

// countUsage estimates tokens as words: the request's text for the prompt,
// the turn's text and calls for the answer.
func countUsage(req *Request, t *Turn) *UsageMetadata {
	u := &UsageMetadata{}
	count := func(c *Content) int {
		n := 0
		if c == nil {
			return 0
		}
		for _, p := range c.Parts {
			if p == nil {
				continue
			}
			n += words(p.Text)
			if p.FunctionCall != nil {
				n += 1 + len(p.FunctionCall.Args)
			}
			if p.FunctionResponse != nil {
				b, _ := json.Marshal(p.FunctionResponse.Response)
				n += 1 + words(string(b))
			}
		}
		return n
	}
	u.PromptTokenCount = count(req.SystemInstruction)
	for _, c := range req.Contents {
		u.PromptTokenCount += count(c)
	}
	for _, c := range t.Chunks {
		for _, p := range c.Parts {
			if p.Thought {
				u.ThoughtsTokenCount += words(p.Text)
				continue
			}
			u.CandidatesTokenCount += count(&Content{Parts: []*Part{p}})
		}
	}
	return u
}

func withTotal(u *UsageMetadata) *UsageMetadata {
	c := *u
	if c.TotalTokenCount == 0 {
		c.TotalTokenCount = c.PromptTokenCount + c.CandidatesTokenCount + c.ThoughtsTokenCount + c.ToolUsePromptTokenCount
	}
	return &c
}

func words(s string) int { return len(strings.Fields(s)) }
