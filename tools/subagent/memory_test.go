package subagent

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestMemoryStore(t *testing.T) {
	storetest(t, func(t *testing.T, ttl time.Duration) Store { return NewMemoryStore(ttl, nil) }, false)
}

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

// submitClaim submits the job id and claims it; a store that gives another
// job fails the test.
func submitClaim(t testing.TB, s Store, id string) Claim {
	t.Helper()
	if _, err := s.Submit(t.Context(), id, Request{Message: "hello " + id, Model: "m"}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Claim(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Job(); got != id {
		t.Fatalf("claimed %s, want %s", got, id)
	}
	return c
}

// TestMemoryStoreExpiry checks the TTL to the nanosecond on a fake clock.
func TestMemoryStoreExpiry(t *testing.T) {
	ctx := t.Context()
	clk := newClock()
	s := NewMemoryStore(time.Hour, clk.Now)
	done := submitClaim(t, s, "done")
	submitClaim(t, s, "running")
	clk.Advance(time.Minute)
	done.End(ctx, Outcome{Status: Completed, Result: &Completion{Text: "hi"}})

	clk.Advance(time.Hour - time.Nanosecond)
	if j, ok, _ := s.Get(ctx, "done"); !ok || j.Result == nil || j.Result.Text != "hi" {
		t.Fatalf("Get(done) just before its TTL = %+v, %v; want the result", j, ok)
	}
	if n, _ := s.Evict(ctx); n != 0 {
		t.Errorf("Evict before TTL removed %d", n)
	}

	clk.Advance(time.Nanosecond)
	if _, ok, _ := s.Get(ctx, "done"); ok {
		t.Error("Get(done) at its TTL found it; want expired")
	}
	if got, _ := s.List(ctx); len(got) != 1 || got[0].TaskID != "running" {
		t.Errorf("List = %+v, want only the running job", got)
	}
	if s.Len() != 2 {
		t.Errorf("Len = %d before eviction, want 2", s.Len())
	}
	if n, _ := s.Evict(ctx); n != 1 || s.Len() != 1 {
		t.Errorf("Evict removed %d, Len %d; want 1 and 1", n, s.Len())
	}

	// A running job never expires.
	clk.Advance(100 * time.Hour)
	if j, ok, _ := s.Get(ctx, "running"); !ok || j.Status != Running {
		t.Errorf("Get(running) after 100h = %+v, %v", j, ok)
	}
}

func TestMemoryStoreListTimes(t *testing.T) {
	ctx := t.Context()
	s := NewMemoryStore(time.Hour, newClock().Now)
	s.Submit(ctx, "a", Request{Message: "hi"})
	got, _ := s.List(ctx)
	if len(got) != 1 || got[0].CreatedAt != "2026-01-02T03:04:05Z" {
		t.Errorf("created_at = %+v", got)
	}
}

// TestMemoryStoreClose: closing the store ends the jobs still queued, said
// to be stopped: nothing else would run them.
func TestMemoryStoreClose(t *testing.T) {
	ctx := t.Context()
	s := NewMemoryStore(time.Hour, nil)
	s.Submit(ctx, "q", Request{Message: "hi"})
	s.Close()
	if j, _, _ := s.Get(ctx, "q"); j.Status != Cancelled || j.Error != stoppedText {
		t.Errorf("queued job after Close = %+v", j)
	}
}

// TestJanitor runs the janitor on fake time: it evicts an expired job on
// its first tick after the TTL.
func TestJanitor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewMemoryStore(90*time.Second, nil)
		c := submitClaim(t, s, "x")
		c.End(t.Context(), Outcome{Status: Completed, Result: &Completion{}})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go janitor(ctx, s, time.Minute, slog.New(slog.DiscardHandler))

		time.Sleep(time.Minute) // fake time: the first tick, before the TTL
		synctest.Wait()
		if s.Len() != 1 {
			t.Fatalf("after 1m Len = %d, want 1", s.Len())
		}
		time.Sleep(time.Minute) // second tick, after the TTL
		synctest.Wait()
		if s.Len() != 0 {
			t.Errorf("after 2m Len = %d; want the job evicted", s.Len())
		}
	})
}
