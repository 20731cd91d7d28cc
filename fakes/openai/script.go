package fakeopenai

import (
	"context"
	"net/http"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// Script is a Responder that answers requests with the steps of a
// Scenario, in the order they arrive. It is safe for concurrent use.
type Script struct {
	play *scenario.Script[*ChatRequest, Expectation, Turn]
}

// NewScript returns a Script at the first step of sc.
func NewScript(sc *Scenario) *Script {
	return &Script{play: scenario.NewScript[*ChatRequest](sc)}
}

// Respond answers with the next step. It fails with a 500 *Error when the
// script is exhausted, and when the request misses one of the step's
// expectations (the step is then used up all the same).
func (s *Script) Respond(_ context.Context, req *ChatRequest) (*Turn, error) {
	t, err := s.play.Next(req)
	if err != nil {
		return nil, newError(http.StatusInternalServerError, "fakeopenai: %v", err)
	}
	return t, nil
}

// Unused returns the steps not answered yet, each described by file, line
// and label.
func (s *Script) Unused() []string { return s.play.Unused() }

// String describes the script's position.
func (s *Script) String() string { return s.play.String() }
