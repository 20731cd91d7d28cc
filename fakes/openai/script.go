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
	bad  map[*Turn]error // the turns that are no answer of OpenAI's
}

// NewScript returns a Script at the first step of sc.
func NewScript(sc *Scenario) *Script {
	return &Script{play: scenario.NewScript[*ChatRequest](sc.play()), bad: sc.check()}
}

// Respond answers with the next step. It fails with a 500 *Error when the
// script is exhausted, when the request misses one of the step's
// expectations (the step is then used up all the same), and when the
// step's turn is not an answer OpenAI would give.
func (s *Script) Respond(_ context.Context, req *ChatRequest) (*Turn, error) {
	t, err := s.play.Next(req)
	if err == nil && t == nil {
		t = &Turn{}
	}
	if err == nil {
		err = s.bad[t]
	}
	if err != nil {
		return nil, newError(http.StatusInternalServerError, "fakeopenai: %v", err)
	}
	return t, nil
}

// refused tells the script the server refused a request with e. It
// reports whether the next step expected a refusal (and used it up), with
// an error when it expected another one.
func (s *Script) refused(e *Error) (bool, error) {
	return s.play.Refuse(refusal(e))
}

// Unused returns the steps not answered yet, each described by file, line
// and label.
func (s *Script) Unused() []string { return s.play.Unused() }

// String describes the script's position.
func (s *Script) String() string { return s.play.String() }
