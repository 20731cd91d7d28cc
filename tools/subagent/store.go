package subagent

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// A Store keeps the background jobs: a job stays until TTL after it
// finished (a queued or running job never expires), and expired jobs are
// invisible at once, even before Evict removes them. It is safe for
// concurrent use.
type Store struct {
	ttl time.Duration
	now func() time.Time

	mu   sync.RWMutex
	jobs map[string]*job
}

// NewStore returns an empty store keeping finished jobs for ttl, on the
// clock now (nil means time.Now).
func NewStore(ttl time.Duration, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{ttl: ttl, now: now, jobs: make(map[string]*job)}
}

func (s *Store) add(j *job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j.created = s.now()
	s.jobs[j.id] = j
}

// lookup returns the live job id, or nil.
func (s *Store) lookup(id string) *job {
	j := s.jobs[id]
	if j == nil || s.expired(j, s.now()) {
		return nil
	}
	return j
}

func (s *Store) expired(j *job, now time.Time) bool {
	return j.status.Final() && !now.Before(j.finished.Add(s.ttl))
}

// Get returns the job id with its result, and whether it is there.
func (s *Store) Get(id string) (Job, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	j := s.lookup(id)
	if j == nil {
		return Job{}, false
	}
	return j.snapshot(s.ttl, true), true
}

// Wait waits until the job id has ended or ctx is done, and returns it as
// Get does. A job that is not there returns at once.
func (s *Store) Wait(ctx context.Context, id string) (Job, bool) {
	s.mu.RLock()
	j := s.lookup(id)
	s.mu.RUnlock()
	if j == nil {
		return Job{}, false
	}
	select {
	case <-j.done:
	case <-ctx.Done():
	}
	return s.Get(id)
}

// List returns every live job, without results, oldest first.
func (s *Store) List() []Job {
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	live := make([]*job, 0, len(s.jobs))
	for _, j := range s.jobs {
		if !s.expired(j, now) {
			live = append(live, j)
		}
	}
	slices.SortFunc(live, func(a, b *job) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	out := make([]Job, len(live))
	for i, j := range live {
		out[i] = j.snapshot(s.ttl, false)
	}
	return out
}

// Len is the number of jobs held, expired ones not yet evicted included.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.jobs)
}

// Evict removes the expired jobs and returns how many it removed.
func (s *Store) Evict() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now, n := s.now(), 0
	for id, j := range s.jobs {
		if s.expired(j, now) {
			delete(s.jobs, id)
			n++
		}
	}
	return n
}

// Janitor evicts expired jobs every interval until ctx is done.
func (s *Store) Janitor(ctx context.Context, interval time.Duration, evicted func(int)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := s.Evict(); n > 0 && evicted != nil {
				evicted(n)
			}
		}
	}
}

// start marks a queued job running; it reports false if the job is no
// longer queued (it was cancelled while it waited).
func (s *Store) start(j *job) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.status != Queued {
		return false
	}
	j.status, j.started = Running, s.now()
	return true
}

// finish ends a job once; later calls do nothing.
func (s *Store) finish(j *job, st Status, res *Completion, errText string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.status.Final() {
		return
	}
	j.status, j.finished, j.result, j.err = st, s.now(), res, errText
	close(j.done)
}

// cancel cancels the live job id and returns its state after; a job that
// already ended is returned unchanged.
func (s *Store) cancel(id string) (Job, bool) {
	s.mu.RLock()
	j := s.lookup(id)
	s.mu.RUnlock()
	if j == nil {
		return Job{}, false
	}
	j.cancel()
	s.finish(j, Cancelled, nil, "cancelled by sub_agent_cancel")
	return s.Get(id)
}
