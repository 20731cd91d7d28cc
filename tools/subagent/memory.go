package subagent

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// A MemoryStore is a [Store] in the process's memory: the default, for one
// process. Its jobs go when the process goes. Expired jobs are invisible at
// once, and removed by Evict. It is safe for concurrent use.
type MemoryStore struct {
	ttl time.Duration
	now func() time.Time

	mu    sync.RWMutex
	jobs  map[string]*job
	queue []*job        // submitted, oldest first; claimed or cancelled ones are skipped
	wake  chan struct{} // a token when the queue may have grown
}

// NewMemoryStore returns an empty store keeping finished jobs for ttl, on
// the clock now (nil means time.Now).
func NewMemoryStore(ttl time.Duration, now func() time.Time) *MemoryStore {
	if now == nil {
		now = time.Now
	}
	return &MemoryStore{ttl: ttl, now: now, jobs: make(map[string]*job), wake: make(chan struct{}, 1)}
}

// Submit implements [Queue].
func (s *MemoryStore) Submit(_ context.Context, id string, req Request) (Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.jobs[id]; ok {
		return Job{}, fmt.Errorf("submitting job %s: the id is taken", id)
	}
	j := &job{id: id, req: req, status: Queued, created: s.now(), done: make(chan struct{}), stop: make(chan struct{})}
	s.jobs[id] = j
	s.queue = append(s.queue, j)
	s.signal()
	return j.snapshot(s.ttl, false), nil
}

// signal wakes one waiting Claim, if any.
func (s *MemoryStore) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Claim implements [Queue].
func (s *MemoryStore) Claim(ctx context.Context) (Claim, error) {
	for {
		if c := s.next(); c != nil {
			return c, nil
		}
		select {
		case <-s.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// next takes the oldest job still queued, or returns nil.
func (s *MemoryStore) next() Claim {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.queue) > 0 {
		j := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		if j.status != Queued {
			continue // cancelled while it waited
		}
		j.status, j.started = Running, s.now()
		if len(s.queue) > 0 {
			s.signal() // pass the wake-up on to the next claimer
		}
		return &memoryClaim{s: s, j: j}
	}
	return nil
}

// lookup returns the live job id, or nil.
func (s *MemoryStore) lookup(id string) *job {
	j := s.jobs[id]
	if j == nil || s.expired(j, s.now()) {
		return nil
	}
	return j
}

func (s *MemoryStore) expired(j *job, now time.Time) bool {
	return j.status.Final() && !now.Before(j.finished.Add(s.ttl))
}

// Get implements [Jobs].
func (s *MemoryStore) Get(_ context.Context, id string) (Job, bool, error) {
	j, ok := s.get(id)
	return j, ok, nil
}

func (s *MemoryStore) get(id string) (Job, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	j := s.lookup(id)
	if j == nil {
		return Job{}, false
	}
	return j.snapshot(s.ttl, true), true
}

// Wait implements [Jobs].
func (s *MemoryStore) Wait(ctx context.Context, id string) error {
	s.mu.RLock()
	j := s.lookup(id)
	s.mu.RUnlock()
	if j == nil {
		return nil
	}
	select {
	case <-j.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// List implements [Jobs].
func (s *MemoryStore) List(context.Context) ([]Job, error) {
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
	return out, nil
}

// Len is the number of jobs held, expired ones not yet evicted included.
func (s *MemoryStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.jobs)
}

// Evict removes the expired jobs and returns how many it removed.
func (s *MemoryStore) Evict(context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now, n := s.now(), 0
	for id, j := range s.jobs {
		if s.expired(j, now) {
			delete(s.jobs, id)
			n++
		}
	}
	return n, nil
}

// Cancel implements [Queue].
func (s *MemoryStore) Cancel(_ context.Context, id string) (Job, bool, error) {
	s.mu.Lock()
	j := s.lookup(id)
	if j != nil {
		s.finish(j, Outcome{Status: Cancelled, Error: cancelledText})
	}
	s.mu.Unlock()
	if j == nil {
		return Job{}, false, nil
	}
	got, ok := s.get(id)
	return got, ok, nil
}

// Close ends the jobs still queued, cancelled: no other process will run
// them. A Service closes the store it made itself.
func (s *MemoryStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range s.queue {
		if j != nil {
			s.finish(j, Outcome{Status: Cancelled, Error: stoppedText})
		}
	}
	s.queue = nil
	return nil
}

// finish ends j once, with s.mu held; later calls do nothing.
func (s *MemoryStore) finish(j *job, o Outcome) {
	if j.status.Final() {
		return
	}
	j.status, j.finished, j.result, j.err = o.Status, s.now(), o.Result, o.Error
	close(j.done)
	close(j.stop)
}

// A memoryClaim is a job of a MemoryStore being run.
type memoryClaim struct {
	s *MemoryStore
	j *job
}

func (c *memoryClaim) Job() (string, Request)   { return c.j.id, c.j.req }
func (c *memoryClaim) Stopped() <-chan struct{} { return c.j.stop }

func (c *memoryClaim) End(_ context.Context, o Outcome) error {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if o.Status != Completed {
		o.Result = nil
	}
	c.s.finish(c.j, o)
	return nil
}

func (c *memoryClaim) Release(ctx context.Context) error {
	return c.End(ctx, Outcome{Status: Cancelled, Error: stoppedText})
}
