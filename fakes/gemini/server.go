package fakegemini

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// APIKey, when set, is the only key the Gemini API routes accept.
	// Any non-empty key is accepted otherwise.
	APIKey string
	// OnRequest, when set, sees every request that passed validation,
	// before the Responder does.
	OnRequest func(*Request)
	// OnPredict, when set, sees every Imagen :predict request that passed
	// validation.
	OnPredict func(*PredictRequest)
	// OnReject, when set, sees every request the server refused, with the
	// error it answered.
	OnReject func(*http.Request, *Error)
	// MaxSignatures bounds the record of issued thought signatures
	// (default 4096 calls).
	MaxSignatures int
	// Now is the clock behind Vertex's createTime (default time.Now).
	Now func() time.Time
}

// Server is a fake Vertex AI and Gemini API endpoint serving
// generateContent and streamGenerateContent. It is an http.Handler, safe
// for concurrent use if its Responder is.
type Server struct {
	responder Responder
	opts      Options
	log       *slog.Logger
	ledger    *ledger
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
	if s.opts.MaxSignatures <= 0 {
		s.opts.MaxSignatures = 4096
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	s.ledger = newLedger(s.opts.MaxSignatures)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	if rt, ok := parseRoute(hr.URL.Path); ok && rt.predict {
		s.servePredict(w, hr, rt)
		return
	}
	req, rerr := s.decode(hr)
	if rerr != nil {
		s.log.Info("rejected", "path", hr.URL.Path, "code", rerr.Code, "message", rerr.Message)
		if s.opts.OnReject != nil {
			s.opts.OnReject(hr, rerr)
		}
		writeError(w, rerr)
		return
	}
	if s.opts.OnRequest != nil {
		s.opts.OnRequest(req)
	}
	turn, err := s.responder.Respond(hr.Context(), req)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = newError(http.StatusInternalServerError, "%v", err)
		}
		s.log.Error("responder", "model", req.Model, "err", err)
		writeError(w, e)
		return
	}
	if turn.Err != nil {
		writeError(w, turn.Err)
		return
	}
	s.sign(turn)
	chunks := s.render(req, turn)
	s.log.Info("answered", "model", req.Model, "stream", req.Stream, "chunks", len(chunks))
	switch {
	case req.Stream && hr.URL.Query().Get("alt") == "sse":
		writeSSE(w, chunks, turn)
	case req.Stream:
		writeArray(w, chunks, turn)
	default:
		writeUnary(w, merge(chunks), turn)
	}
}

// decode routes, authenticates, parses and validates one call.
func (s *Server) decode(hr *http.Request) (*Request, *Error) {
	rt, ok := parseRoute(hr.URL.Path)
	if !ok || hr.Method != http.MethodPost {
		return nil, newError(http.StatusNotFound, "fakegemini: no route for %s %s (it serves POST .../models/MODEL:generateContent, :streamGenerateContent and :predict)", hr.Method, hr.URL.Path)
	}
	if e := s.authenticate(hr, rt); e != nil {
		return nil, e
	}
	body, err := io.ReadAll(hr.Body)
	if err != nil {
		return nil, invalid("reading request body: %v", err)
	}
	req := new(Request)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		return nil, invalid("Invalid JSON payload received. %v", err)
	}
	if dec.More() {
		return nil, invalid("Invalid JSON payload received. Unexpected data after the request object.")
	}
	req.Model, req.Stream, req.Vertex = rt.model, rt.stream, rt.vertex
	if e := s.validate(req); e != nil {
		return nil, e
	}
	return req, nil
}

// authenticate checks the API key of a Gemini API call; Vertex AI calls
// carry credentials the fake does not check.
func (s *Server) authenticate(hr *http.Request, rt route) *Error {
	if rt.vertex {
		return nil
	}
	key := hr.Header.Get("x-goog-api-key")
	if key == "" {
		key = hr.URL.Query().Get("key")
	}
	switch {
	case key == "":
		return newError(http.StatusForbidden, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")
	case s.opts.APIKey != "" && key != s.opts.APIKey:
		return invalid("API key not valid. Please pass a valid API key.")
	}
	return nil
}

// sign records the signatures of the function calls the turn issues.
func (s *Server) sign(t *Turn) {
	for _, c := range t.Chunks {
		for _, p := range c.Parts {
			if p.FunctionCall != nil && p.ThoughtSignature != "" {
				s.ledger.issue(p.FunctionCall, p.ThoughtSignature)
			}
		}
	}
}

func (s *Server) responseID() string {
	return fmt.Sprintf("fakegemini-%d", s.seq.Add(1))
}
