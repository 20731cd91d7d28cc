package fakeopenai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// Script is a Responder that answers requests with the steps of a
// Scenario, in the order they arrive. It is safe for concurrent use.
type Script struct {
	sc   *Scenario
	mu   sync.Mutex
	next int
}

// NewScript returns a Script at the first step of sc.
func NewScript(sc *Scenario) *Script {
	return &Script{sc: sc}
}

// Respond answers with the next step. It fails with a 500 *Error when the
// script is exhausted, and when the request misses one of the step's
// expectations (the step is then used up all the same).
func (s *Script) Respond(_ context.Context, req *ChatRequest) (*Turn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next >= len(s.sc.Steps) {
		return nil, newError(http.StatusInternalServerError, "fakeopenai: %s: unexpected request %d: the scenario has only %d turns", s.sc.Name, s.next+1, len(s.sc.Steps))
	}
	st := s.sc.Steps[s.next]
	s.next++
	var errs []error
	for _, e := range st.Expect {
		if err := e.Check(req); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, newError(http.StatusInternalServerError, "fakeopenai: %s: %v", st.where(s.sc), err)
	}
	return st.Turn, nil
}

// Unused returns the steps not answered yet, each described by file, line
// and label.
func (s *Script) Unused() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, st := range s.sc.Steps[s.next:] {
		out = append(out, st.where(s.sc))
	}
	return out
}

// String describes the script's position.
func (s *Script) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%s: %d of %d turns used", s.sc.Name, s.next, len(s.sc.Steps))
}
