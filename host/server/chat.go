package server

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/openai"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	if err := s.awaitReady(r); err != nil {
		return // the client went away while the host started
	}
	body, err := readBody(r)
	if err != nil {
		writeAPIError(w, decodeError(err, s.opts.MaxBodyBytes))
		return
	}
	in, input, err := s.decode(body)
	if err != nil {
		writeAPIError(w, toAPIError(err))
		return
	}
	resp := response{
		id:         newID(),
		created:    s.opts.Now().Unix(),
		model:      in.Model,
		toolEvents: s.opts.ToolEvents || truthy(r.Header.Get(ToolEventsHeader)),
		reasoning:  input.Request.Options.IncludeThoughts,
		start:      s.opts.Now(),
	}
	s.logger.LogAttrs(r.Context(), slog.LevelInfo, "chat", slog.String("id", resp.id), slog.String("model", in.Model),
		slog.Int("messages", len(in.Messages)), slog.Int("tools", len(input.Request.Tools)), slog.Bool("stream", in.Stream))
	if in.Stream {
		s.stream(w, r, input, &resp, in.StreamOptions != nil && in.StreamOptions.IncludeUsage)
		return
	}
	s.complete(w, r, input, &resp)
}

// readBody reads the whole body, in one allocation when its length is
// known.
func readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength <= 0 {
		return io.ReadAll(r.Body)
	}
	b := make([]byte, r.ContentLength)
	if _, err := io.ReadFull(r.Body, b); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("the body is shorter than its Content-Length: %w", err)
		}
		return nil, err
	}
	return b, nil
}

// decode parses and validates a chat request body. Errors are *apiError.
func (s *Server) decode(body []byte) (*openai.ChatRequest, agent.Input, error) {
	in := new(openai.ChatRequest)
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, agent.Input{}, badRequest("", "the request body is empty: send a JSON chat completion request")
	}
	// Unmarshal, unlike a Decoder, refuses what follows the JSON value.
	if err := json.Unmarshal(body, in); err != nil {
		return nil, agent.Input{}, badRequest(jsonParam(err), "malformed JSON in the request body: %v", err)
	}
	input, err := s.prepare(in)
	return in, input, err
}

// jsonParam names the field a JSON type error is about.
func jsonParam(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

// prepare validates the request and resolves its model and tools.
func (s *Server) prepare(in *openai.ChatRequest) (agent.Input, error) {
	sel := parseModel(in.Model)
	if sel.model == "" {
		return agent.Input{}, badRequest("model", "model is required")
	}
	if _, ok := s.model(sel.model); !ok {
		return agent.Input{}, unknownModel(sel.model)
	}
	req, err := toLLMRequest(in, sel.model)
	if err != nil {
		return agent.Input{}, err
	}
	client, err := clientTools(in.Tools)
	if err != nil {
		return agent.Input{}, err
	}
	host, builtin, err := s.hostTools(sel)
	if err != nil {
		return agent.Input{}, err
	}
	req.Options.BuiltinTools = builtin
	if f := s.opts.SystemInstruction; f != nil {
		if text := f(s.opts.Now()); text != "" {
			req.System = append([]string{text}, req.System...)
		}
	}
	input := agent.Input{Request: req, ClientTools: make(map[string]bool, len(client))}
	for _, t := range client {
		input.ClientTools[t.Name] = true
	}
	// A client tool shadows a host tool of the same name: the client asked
	// to run it itself.
	for _, t := range host {
		if !input.ClientTools[t.Name] {
			req.Tools = append(req.Tools, t)
		}
	}
	req.Tools = append(req.Tools, client...)
	if req.ToolChoice, err = parseToolChoice(in.ToolChoice); err != nil {
		return agent.Input{}, err
	}
	if f := req.ToolChoice.Function; f != "" && !slices.ContainsFunc(req.Tools, func(t llm.Tool) bool { return t.Name == f }) {
		return agent.Input{}, badRequest("tool_choice", "tool_choice names %s, which is not among the request's tools", quote(f))
	}
	return input, nil
}

// hostTools returns the MCP tools and the provider's built-in tools that the
// selection allows.
func (s *Server) hostTools(sel toolSelection) (tools []llm.Tool, builtin []string, err error) {
	all := s.toolList()
	if sel.tools == nil {
		for _, t := range all {
			tools = append(tools, t.Tool)
		}
		return tools, s.opts.BuiltinTools, nil
	}
	for _, name := range sel.tools {
		name = builtinName(name)
		if slices.Contains(s.opts.BuiltinTools, name) {
			builtin = append(builtin, name)
			continue
		}
		i := slices.IndexFunc(all, func(t toolbox.Tool) bool { return t.Name == name })
		if i < 0 {
			names := slices.Clone(s.opts.BuiltinTools)
			for _, t := range all {
				names = append(names, t.Name)
			}
			avail := "none"
			if len(names) > 0 {
				avail = strings.Join(names, ", ")
			}
			return nil, nil, badRequest("model", "unknown tool %s in the model string; available tools: %s", quote(name), avail)
		}
		t := all[i]
		tools = append(tools, t.Tool)
	}
	return tools, builtin, nil
}

func decodeError(err error, limit int64) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{status: http.StatusRequestEntityTooLarge, typ: "invalid_request_error", code: "request_too_large", message: tooLarge(limit)}
	}
	return badRequest("", "reading the request body: %v", err)
}

func tooLarge(limit int64) string {
	return fmt.Sprintf("the request body is larger than the server's limit of %d bytes (-max-body)", limit)
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on", "all":
		return true
	}
	return false
}

func newID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // never fails
	return "chatcmpl-" + hex.EncodeToString(b[:])
}
