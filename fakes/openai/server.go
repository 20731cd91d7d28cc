package fakeopenai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// DefaultModels returns the models served when Options.Models is empty.
// The caller may modify the slice.
func DefaultModels() []string { return []string{"gpt-3.5-turbo", "gpt-4o-mini"} }

// Options configure a Server. The zero value is usable.
type Options struct {
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// APIKey, when set, is the only bearer token accepted; requests without
	// it are refused with 401. Empty means no authentication, like a local
	// server.
	APIKey string
	// Models are the model ids served (default [DefaultModels]); a request
	// for another one is refused with 404.
	Models []string
	// OnRequest, when set, sees every request that passed validation,
	// before the Responder does.
	OnRequest func(*ChatRequest)
	// OnReject, when set, sees every request the server refused (a bad or
	// missing key, an unknown route, an invalid chat request), with the
	// error it answered.
	OnReject func(*http.Request, *Error)
	// Now is the clock behind the created fields (default time.Now).
	Now func() time.Time
}

// Server is a fake OpenAI-compatible endpoint. It is an http.Handler, safe
// for concurrent use if its Responder is.
type Server struct {
	responder Responder
	opts      Options
	log       *slog.Logger
	mux       *http.ServeMux
	seq       atomic.Int64
}

// New returns a Server answering with r. opts may be nil.
func New(r Responder, opts *Options) *Server {
	s := &Server{responder: r}
	if opts != nil {
		s.opts = *opts
	}
	s.log = s.opts.Logger
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if len(s.opts.Models) == 0 {
		s.opts.Models = DefaultModels()
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST /v1/chat/completions", s.chat)
	s.mux.HandleFunc("GET /v1/models", s.models)
	s.mux.HandleFunc("GET /v1/models/{id...}", s.model)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e := s.authenticate(r); e != nil {
		s.reject(w, r, e)
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.reject(w, r, newError(http.StatusNotFound, "fakeopenai: no route for %s %s (it serves POST /v1/chat/completions, GET /v1/models and GET /v1/models/{id})", r.Method, r.URL.Path))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// reject answers a request the server refuses.
func (s *Server) reject(w http.ResponseWriter, r *http.Request, e *Error) {
	s.log.Info("rejected", "path", r.URL.Path, "status", e.Status, "message", e.Message)
	if s.opts.OnReject != nil {
		s.opts.OnReject(r, e)
	}
	writeError(w, e)
}

func (s *Server) authenticate(r *http.Request) *Error {
	if s.opts.APIKey == "" {
		return nil
	}
	auth := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(auth, "Bearer ")
	switch {
	case auth == "" || !ok:
		return newError(http.StatusUnauthorized, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
	case key != s.opts.APIKey:
		return newError(http.StatusUnauthorized, "Incorrect API key provided: %s.", redact(key))
	}
	return nil
}

// redact shows only the ends of a key, as OpenAI does.
func redact(key string) string {
	if len(key) <= 8 {
		return strings.Repeat("*", len(key))
	}
	return key[:3] + strings.Repeat("*", len(key)-7) + key[len(key)-4:]
}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	list := modelList{Object: "list", Data: []model{}}
	for _, id := range s.opts.Models {
		list.Data = append(list.Data, s.describe(id))
	}
	writeJSON(w, list)
}

func (s *Server) model(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !slices.Contains(s.opts.Models, id) {
		writeError(w, newError(http.StatusNotFound, "The model '%s' does not exist", id))
		return
	}
	writeJSON(w, s.describe(id))
}

func (s *Server) describe(id string) model {
	return model{ID: id, Object: "model", Created: 1700000000, OwnedBy: "fakeopenai"}
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	req, e := s.decode(r)
	if e != nil {
		s.reject(w, r, e)
		return
	}
	if s.opts.OnRequest != nil {
		s.opts.OnRequest(req)
	}
	turn, err := s.responder.Respond(r.Context(), req)
	if err != nil {
		if !errors.As(err, &e) {
			e = newError(http.StatusInternalServerError, "%v", err)
		}
		s.log.Error("responder", "model", req.Model, "err", err)
		writeError(w, e)
		return
	}
	if turn == nil {
		turn = &Turn{}
	}
	if err := turn.validate(); err != nil {
		s.log.Error("responder", "model", req.Model, "err", err)
		writeError(w, newError(http.StatusInternalServerError, "fakeopenai: the responder's turn is no answer OpenAI gives: %v", err))
		return
	}
	if turn.Delay > 0 {
		t := time.NewTimer(turn.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			s.log.Info("client gave up", "model", req.Model, "delay", turn.Delay)
			return
		}
	}
	if turn.Err != nil {
		s.log.Info("answered with an error", "model", req.Model, "status", turn.Err.Status)
		writeError(w, turn.Err)
		return
	}
	s.log.Info("answered", "model", req.Model, "stream", req.Stream, "chunks", len(turn.Chunks), "calls", len(turn.ToolCalls))
	id := s.id()
	calls := toolCalls(turn, id)
	if req.Stream {
		s.stream(w, req, turn, id, calls)
		return
	}
	msg := answerMessage{Role: "assistant"}
	if content := turn.content(); content != "" || len(calls) == 0 {
		msg.Content = &content
	}
	for _, c := range calls {
		msg.ToolCalls = append(msg.ToolCalls, wireToolCall{ID: c.ID, Type: "function", Function: wireFunction{Name: c.Name, Arguments: c.Arguments}})
	}
	writeJSON(w, completion{
		ID: id, Object: "chat.completion", Created: s.opts.Now().Unix(), Model: answerModel(req, turn),
		Choices: []choice{{Message: msg, FinishReason: turn.finish()}},
		Usage:   turn.usage(req),
	})
}

// toolCalls returns the calls of t, those without an id given one unique
// to the answer id.
func toolCalls(t *Turn, id string) []ToolCall {
	calls := slices.Clone(t.ToolCalls)
	for i := range calls {
		if calls[i].ID == "" {
			calls[i].ID = fmt.Sprintf("call_%s_%d", strings.TrimPrefix(id, "chatcmpl-"), i)
		}
	}
	return calls
}

// decode authenticates, parses and validates one chat request.
func (s *Server) decode(r *http.Request) (*ChatRequest, *Error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, newError(http.StatusBadRequest, "reading request body: %v", err)
	}
	req := new(ChatRequest)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, newError(http.StatusBadRequest, "Unrecognized request argument supplied: %s", strings.Trim(field, `"`))
		}
		return nil, newError(http.StatusBadRequest, "We could not parse the JSON body of your request. (%v)", err)
	}
	if e := s.validate(req); e != nil {
		return nil, e
	}
	return req, nil
}

func (s *Server) validate(req *ChatRequest) *Error {
	if req.Model == "" {
		return newError(http.StatusBadRequest, "you must provide a model parameter")
	}
	if !slices.Contains(s.opts.Models, req.Model) {
		return newError(http.StatusNotFound, "The model `%s` does not exist or you do not have access to it.", req.Model)
	}
	if len(req.Messages) == 0 {
		return newError(http.StatusBadRequest, "[] is too short - 'messages'")
	}
	// answering holds the calls of the last assistant message that no tool
	// message answered yet, and caller its index.
	var answering []string
	caller := -1
	for i, m := range req.Messages {
		if len(answering) > 0 && m.Role != "tool" {
			return unanswered(caller, answering)
		}
		hasContent := len(m.Content) > 0 && string(m.Content) != "null"
		switch m.Role {
		case "system", "developer", "user":
			if !hasContent {
				return newError(http.StatusBadRequest, "Missing required parameter: 'messages[%d].content'.", i)
			}
		case "assistant":
			if !hasContent && len(m.ToolCalls) == 0 && len(m.FunctionCall) == 0 {
				return newError(http.StatusBadRequest, "Invalid value for 'messages[%d]': an assistant message needs content or tool_calls.", i)
			}
			var calls []wireToolCall
			if len(m.ToolCalls) > 0 && json.Unmarshal(m.ToolCalls, &calls) != nil {
				return newError(http.StatusBadRequest, "Invalid type for 'messages[%d].tool_calls': expected an array of tool calls.", i)
			}
			for j, c := range calls {
				switch {
				case c.ID == "":
					return newError(http.StatusBadRequest, "Missing required parameter: 'messages[%d].tool_calls[%d].id'.", i, j)
				case c.Function.Name == "":
					return newError(http.StatusBadRequest, "Missing required parameter: 'messages[%d].tool_calls[%d].function.name'.", i, j)
				}
				answering = append(answering, c.ID)
			}
			caller = i
		case "tool":
			if m.ToolCallID == "" {
				return newError(http.StatusBadRequest, "Missing required parameter: 'messages[%d].tool_call_id'.", i)
			}
			if !slices.Contains(answering, m.ToolCallID) {
				return newError(http.StatusBadRequest, "Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls'. (messages[%d] answers %s)", i, m.ToolCallID)
			}
			answering = slices.DeleteFunc(answering, func(id string) bool { return id == m.ToolCallID })
			continue
		case "function":
		default:
			return newError(http.StatusBadRequest, "Invalid value: '%s'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'. (messages[%d].role)", m.Role, i)
		}
	}
	if len(answering) > 0 {
		return unanswered(caller, answering)
	}
	if req.StreamOptions != nil && !req.Stream {
		return newError(http.StatusBadRequest, "The 'stream_options' parameter is only allowed when 'stream' is enabled.")
	}
	return nil
}

// unanswered is OpenAI's refusal of an assistant message, messages[i],
// whose calls ids lack a tool message.
func unanswered(i int, ids []string) *Error {
	return newError(http.StatusBadRequest, "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: %s (messages[%d])", strings.Join(ids, ", "), i)
}

// stream writes the answer as Server-Sent Events: a role chunk, one chunk
// per content piece, for each call a chunk with its index, id, type and
// name then chunks of argument fragments, the finish chunk, the usage chunk
// when asked, [DONE].
func (s *Server) stream(w http.ResponseWriter, req *ChatRequest, t *Turn, id string, calls []ToolCall) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	base := chunk{ID: id, Object: "chat.completion.chunk", Created: s.opts.Now().Unix(), Model: answerModel(req, t)}
	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	if includeUsage {
		base.Usage = json.RawMessage("null")
	}
	send := func(d delta, finish *string) {
		c := base
		c.Choices = []chunkChoice{{Delta: d, FinishReason: finish}}
		b, _ := json.Marshal(c)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	empty := ""
	send(delta{Role: "assistant", Content: &empty}, nil)
	for _, text := range t.Chunks {
		send(delta{Content: &text}, nil)
	}
	for i, c := range calls {
		send(delta{ToolCalls: []wireToolCall{{Index: &i, ID: c.ID, Type: "function", Function: wireFunction{Name: c.Name}}}}, nil)
		for _, frag := range fragments(c.Arguments) {
			send(delta{ToolCalls: []wireToolCall{{Index: &i, Function: wireFunction{Arguments: frag}}}}, nil)
		}
	}
	finish := t.finish()
	send(delta{}, &finish)
	if includeUsage {
		c := base
		c.Choices = []chunkChoice{}
		c.Usage, _ = json.Marshal(t.usage(req))
		b, _ := json.Marshal(c)
		fmt.Fprintf(w, "data: %s\n\n", b)
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// fragmentRunes is the size of the pieces a call's arguments are streamed
// in, small enough that any call comes in several.
const fragmentRunes = 8

// fragments cuts s into pieces of fragmentRunes runes.
func fragments(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for n := 0; i < len(s) && n < fragmentRunes; n++ {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

func (s *Server) id() string {
	return fmt.Sprintf("chatcmpl-fake%d", s.seq.Add(1))
}

func answerModel(req *ChatRequest, t *Turn) string {
	if t.Model != "" {
		return t.Model
	}
	return req.Model
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
