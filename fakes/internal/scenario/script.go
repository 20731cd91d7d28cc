package scenario

import (
	"errors"
	"fmt"
	"sync"
)

// A Checker is an expectation on a request of type R.
type Checker[R any] interface {
	// Check returns an error saying how req fails the expectation, or nil.
	Check(req R) error
}

// A Script plays the steps of a Scenario in order, one request at a time.
// It is safe for concurrent use.
type Script[R any, E Checker[R], T any] struct {
	sc   *Scenario[E, T]
	mu   sync.Mutex
	next int
}

// NewScript returns a Script at the first step of sc.
func NewScript[R any, E Checker[R], T any](sc *Scenario[E, T]) *Script[R, E, T] {
	return &Script[R, E, T]{sc: sc}
}

// Next uses up the next step and returns its turn. It fails when the script
// is exhausted, and when req misses one of the step's expectations (the
// step is used up all the same); the error names the scenario, or the step
// by file, line and label.
func (s *Script[R, E, T]) Next(req R) (*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next >= len(s.sc.Steps) {
		return nil, fmt.Errorf("%s: unexpected request %d: the scenario has only %d turns", s.sc.Name, s.next+1, len(s.sc.Steps))
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
		return nil, fmt.Errorf("%s: %w", st.where(s.sc.Name), err)
	}
	return st.Turn, nil
}

// Refuse is told that the fake refused a request before it reached the
// script. expected reports whether a step's expectations foresee a refusal
// and, if they do, whether this one is it. When the next step foresees one,
// Refuse uses it up and returns true with expected's error, named by the
// step; otherwise it leaves the script as it was and returns false.
func (s *Script[R, E, T]) Refuse(expected func(expect []E) (bool, error)) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.next >= len(s.sc.Steps) {
		return false, nil
	}
	st := s.sc.Steps[s.next]
	ok, err := expected(st.Expect)
	if !ok {
		return false, nil
	}
	s.next++
	if err != nil {
		return true, fmt.Errorf("%s: %w", st.where(s.sc.Name), err)
	}
	return true, nil
}

// Unused returns the steps not used yet, each described by file, line and
// label.
func (s *Script[R, E, T]) Unused() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, st := range s.sc.Steps[s.next:] {
		out = append(out, st.where(s.sc.Name))
	}
	return out
}

// String describes the script's position.
func (s *Script[R, E, T]) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%s: %d of %d turns used", s.sc.Name, s.next, len(s.sc.Steps))
}
