package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/openai"
)

// sseWriter writes the frames of one streamed answer. Its methods are safe
// for concurrent use, so keep-alives can interleave with events.
type sseWriter struct {
	mu      sync.Mutex
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration // of each write, so a client that stops reading is let go
	started bool
	buf     bytes.Buffer
	enc     *json.Encoder // writes to buf, HTML left unescaped
}

// start sends the headers; until then an error can still be an HTTP status.
func (s *sseWriter) start() {
	if s.started {
		return
	}
	s.started = true
	h := s.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // keep reverse proxies from buffering the stream
	s.w.WriteHeader(http.StatusOK)
}

func (s *sseWriter) data(v any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.start()
	s.buf.Reset()
	s.buf.WriteString("data: ")
	if err := s.enc.Encode(v); err != nil { // Encode ends the JSON with "\n"
		return err
	}
	s.buf.WriteByte('\n')
	return s.write()
}

func (s *sseWriter) raw(frame string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.start()
	s.buf.Reset()
	s.buf.WriteString(frame)
	return s.write()
}

// keepAlive writes a comment unless the stream has not started yet.
func (s *sseWriter) keepAlive() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		s.buf.Reset()
		s.buf.WriteString(": keep-alive\n\n")
		_ = s.write() // a broken connection shows up on the next event
	}
}

func (s *sseWriter) write() error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.timeout)) // unsupported off a real connection
	if _, err := s.w.Write(s.buf.Bytes()); err != nil {
		return err
	}
	return s.rc.Flush()
}

// stream runs the request and answers with Server-Sent Events, with a
// keep-alive comment while the stream is otherwise silent.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, input agent.Input, resp *response, includeUsage bool) {
	s.metrics.streams.Inc()
	defer s.metrics.streams.Dec()
	ctx, cancel := context.WithCancel(r.Context())
	sw := &sseWriter{w: w, rc: http.NewResponseController(w), timeout: s.opts.WriteTimeout}
	sw.enc = json.NewEncoder(&sw.buf)
	sw.enc.SetEscapeHTML(false)
	var keepAlives sync.WaitGroup
	keepAlives.Go(func() {
		t := time.NewTicker(s.opts.KeepAlive)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				sw.keepAlive()
			}
		}
	})
	// The ResponseWriter must not be written once the handler returns.
	defer keepAlives.Wait()
	defer cancel()

	cs := &chunkStream{sw: sw, resp: resp, includeUsage: includeUsage}
	err := s.agent.Run(ctx, input, func(ev agent.Event) error {
		resp.count(ev, s.metrics)
		return cs.event(ev)
	})
	s.done(r.Context(), resp, input, true, err)
	if err != nil {
		s.streamFailed(w, r, sw, resp, err)
	}
}

// chunkStream renders the events of one run as chat.completion.chunk
// frames.
type chunkStream struct {
	sw           *sseWriter
	resp         *response
	includeUsage bool
	roleSent     bool
	total        *openai.Usage
}

func (c *chunkStream) chunk(d openai.Delta, finish *string) openai.Chunk {
	var usage json.RawMessage // absent unless asked for; then null until the last chunk
	if c.includeUsage {
		usage = json.RawMessage("null")
	}
	return openai.Chunk{ID: c.resp.id, Object: "chat.completion.chunk", Created: c.resp.created, Model: c.resp.model,
		Choices: []openai.ChunkChoice{{Delta: d, FinishReason: finish}}, Usage: usage}
}

// send writes a delta; the first one carries the role.
func (c *chunkStream) send(d openai.Delta, finish *string) error {
	if !c.roleSent {
		d.Role, c.roleSent = "assistant", true
		if d.Content == nil && len(d.ToolCalls) == 0 && d.ReasoningContent == "" {
			empty := ""
			d.Content = &empty
		}
	}
	return c.sw.data(c.chunk(d, finish))
}

func (c *chunkStream) event(ev agent.Event) error {
	switch ev.Kind {
	case agent.EventText:
		return c.send(openai.Delta{Content: &ev.Text}, nil)
	case agent.EventReasoning:
		if c.resp.reasoning {
			return c.send(openai.Delta{ReasoningContent: ev.Text}, nil)
		}
	case agent.EventToolCall:
		if !c.roleSent {
			if err := c.send(openai.Delta{}, nil); err != nil {
				return err
			}
		}
		if c.resp.toolEvents {
			return c.sw.data(c.resp.toolCallEvent(ev.ToolCall))
		}
	case agent.EventToolResult:
		if c.resp.toolEvents {
			return c.sw.data(c.resp.toolResponseEvent(ev.ToolResult, ev.Duration.Milliseconds()))
		}
	case agent.EventClientToolCalls:
		calls := make([]openai.ToolCall, len(ev.ToolCalls))
		for i, tc := range ev.ToolCalls {
			calls[i] = toOpenAICall(tc, &i)
		}
		return c.send(openai.Delta{ToolCalls: calls}, nil)
	case agent.EventUsage:
		c.total = toOpenAIUsage(ev.Usage)
	case agent.EventFinish:
		return c.finish(string(ev.Finish))
	}
	return nil
}

// finish writes the finish reason, the usage when asked, and [DONE].
func (c *chunkStream) finish(reason string) error {
	if err := c.send(openai.Delta{}, &reason); err != nil {
		return err
	}
	if c.includeUsage && c.total != nil {
		b, _ := json.Marshal(c.total)
		last := c.chunk(openai.Delta{}, nil)
		last.Choices, last.Usage = []openai.ChunkChoice{}, b
		if err := c.sw.data(last); err != nil {
			return err
		}
	}
	return c.sw.raw("data: [DONE]\n\n")
}

// streamFailed reports the error of a run: an HTTP status while nothing
// was sent, else an error frame.
func (s *Server) streamFailed(w http.ResponseWriter, r *http.Request, sw *sseWriter, resp *response, err error) {
	if r.Context().Err() != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelInfo, "client went away", slog.String("id", resp.id))
		return
	}
	e := toAPIError(err)
	s.logger.LogAttrs(r.Context(), slog.LevelWarn, "chat failed", slog.String("id", resp.id), slog.Int("status", e.status), slog.String("error", err.Error()))
	sw.mu.Lock()
	started := sw.started
	sw.mu.Unlock()
	if !started {
		writeAPIError(w, e)
		return
	}
	// The 200 is gone: the error becomes a frame, which SDKs raise as an API
	// error. No [DONE] follows, so no client mistakes this for an answer.
	if err := sw.data(e.body()); err != nil && !errors.Is(err, context.Canceled) {
		s.logger.LogAttrs(r.Context(), slog.LevelDebug, "writing error frame", slog.String("error", err.Error()))
	}
}
