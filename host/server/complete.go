package server

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/openai"
)

// complete runs the request and answers with one chat.completion.
func (s *Server) complete(w http.ResponseWriter, r *http.Request, input agent.Input, resp *response) {
	var (
		text, reasoning strings.Builder
		msg             = openai.Message{Role: "assistant"}
		out             = openai.ChatCompletion{ID: resp.id, Object: "chat.completion", Created: resp.created, Model: resp.model}
		finish          string
	)
	err := s.agent.Run(r.Context(), input, func(ev agent.Event) error {
		resp.count(ev, s.metrics)
		switch ev.Kind {
		case agent.EventText:
			text.WriteString(ev.Text)
		case agent.EventReasoning:
			reasoning.WriteString(ev.Text)
		case agent.EventClientToolCalls:
			for _, c := range ev.ToolCalls {
				msg.ToolCalls = append(msg.ToolCalls, toOpenAICall(c, nil))
			}
		case agent.EventUsage:
			out.Usage = toOpenAIUsage(ev.Usage)
		case agent.EventFinish:
			finish = string(ev.Finish)
		}
		return nil
	})
	s.done(r.Context(), resp, input, false, err)
	// The answer may have taken minutes; writing it may not.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.opts.WriteTimeout)) // unsupported off a real connection
	if err != nil {
		if r.Context().Err() != nil {
			return // the client went away
		}
		e := toAPIError(err)
		s.logger.LogAttrs(r.Context(), slog.LevelWarn, "chat failed", slog.String("id", resp.id), slog.Int("status", e.status), slog.String("error", err.Error()))
		writeAPIError(w, e)
		return
	}
	msg.Content = openai.Text(text.String())
	if text.Len() == 0 && len(msg.ToolCalls) > 0 {
		msg.Content = openai.Content{IsNull: true}
	}
	if resp.reasoning {
		msg.ReasoningContent = reasoning.String()
	}
	out.Choices = []openai.Choice{{Message: msg, FinishReason: finish}}
	writeJSON(w, http.StatusOK, out)
}
