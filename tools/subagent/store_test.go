package subagent

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// clock is a settable clock for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newJob(id string) *job {
	return &job{id: id, req: Request{Message: "hello " + id, Model: "m"}, status: Queued, done: make(chan struct{}), cancel: func() {}}
}

func TestStoreExpiry(t *testing.T) {
	clk := newClock()
	s := NewStore(time.Hour, clk.Now)
	done, running := newJob("done"), newJob("running")
	s.add(done)
	s.add(running)
	s.start(done)
	s.start(running)
	clk.Advance(time.Minute)
	s.finish(done, Completed, &Completion{Text: "hi"}, "")

	clk.Advance(time.Hour - time.Nanosecond)
	if j, ok := s.Get("done"); !ok || j.Result == nil || j.Result.Text != "hi" {
		t.Fatalf("Get(done) just before its TTL = %+v, %v; want the result", j, ok)
	}
	if n := s.Evict(); n != 0 {
		t.Errorf("Evict before TTL removed %d", n)
	}

	clk.Advance(time.Nanosecond)
	if _, ok := s.Get("done"); ok {
		t.Error("Get(done) at its TTL found it; want expired")
	}
	if got := s.List(); len(got) != 1 || got[0].TaskID != "running" {
		t.Errorf("List = %+v, want only the running job", got)
	}
	if s.Len() != 2 {
		t.Errorf("Len = %d before eviction, want 2", s.Len())
	}
	if n := s.Evict(); n != 1 || s.Len() != 1 {
		t.Errorf("Evict removed %d, Len %d; want 1 and 1", n, s.Len())
	}

	// A running job never expires.
	clk.Advance(100 * time.Hour)
	if j, ok := s.Get("running"); !ok || j.Status != Running {
		t.Errorf("Get(running) after 100h = %+v, %v", j, ok)
	}
}

func TestStoreListOrderAndPreview(t *testing.T) {
	clk := newClock()
	s := NewStore(time.Hour, clk.Now)
	long := newJob("b")
	long.req.Message = string(make([]rune, 200))
	s.add(long)
	clk.Advance(time.Second)
	s.add(newJob("a"))
	got := s.List()
	if len(got) != 2 || got[0].TaskID != "b" || got[1].TaskID != "a" {
		t.Fatalf("List = %+v, want b then a (oldest first)", got)
	}
	if n := len([]rune(got[0].Preview)); n != previewLen+1 {
		t.Errorf("preview has %d runes, want %d and an ellipsis", n, previewLen+1)
	}
	if got[0].CreatedAt != "2026-01-02T03:04:05Z" {
		t.Errorf("created_at = %q", got[0].CreatedAt)
	}
}

// TestJanitor runs the janitor on fake time: it evicts an expired job on
// its first tick after the TTL.
func TestJanitor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewStore(90*time.Second, nil)
		j := newJob("x")
		s.add(j)
		s.start(j)
		s.finish(j, Completed, &Completion{}, "")
		evicted := make(chan int, 10)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go s.Janitor(ctx, time.Minute, func(n int) { evicted <- n })

		time.Sleep(time.Minute) // fake time: the first tick, before the TTL
		synctest.Wait()
		if s.Len() != 1 {
			t.Fatalf("after 1m Len = %d, want 1", s.Len())
		}
		time.Sleep(time.Minute) // second tick, after the TTL
		synctest.Wait()
		if s.Len() != 0 || len(evicted) != 1 || <-evicted != 1 {
			t.Errorf("after 2m Len = %d; want the job evicted once", s.Len())
		}
	})
}
