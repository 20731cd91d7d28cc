package subagent

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// storetest is the behaviour every Store shows, run against each of them.
// newStore returns an empty store keeping finished jobs for ttl, closed
// when the test ends. shared says whether the store outlives its process:
// a released job is then queued again rather than ended.
func storetest(t *testing.T, newStore func(t *testing.T, ttl time.Duration) Store, shared bool) {
	t.Run("Lifecycle", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t, time.Hour)
		long := strings.Repeat("é", 200)
		sub, err := s.Submit(ctx, "a", Request{Message: long, System: "be brief", Model: "m"})
		if err != nil {
			t.Fatal(err)
		}
		if sub.TaskID != "a" || sub.Status != Queued || sub.Model != "m" || sub.CreatedAt == "" || sub.StartedAt != "" {
			t.Errorf("Submit = %+v", sub)
		}
		if n := len([]rune(sub.Preview)); n != previewLen+1 || !strings.HasSuffix(sub.Preview, "…") {
			t.Errorf("preview has %d runes, want %d and an ellipsis", n, previewLen+1)
		}
		if j := get(t, s, "a"); j != sub {
			t.Errorf("Get after Submit = %+v, want %+v", j, sub)
		}

		c, err := s.Claim(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if id, req := c.Job(); id != "a" || req != (Request{Message: long, System: "be brief", Model: "m"}) {
			t.Errorf("claimed %s %+v", id, req)
		}
		running := get(t, s, "a")
		if running.Status != Running || running.StartedAt == "" || running.FinishedAt != "" {
			t.Errorf("Get after Claim = %+v", running)
		}

		res := &Completion{Text: "done", Model: "m-1", FinishReason: "stop", Usage: Usage{1, 2, 3}}
		if err := c.End(ctx, Outcome{Status: Completed, Result: res}); err != nil {
			t.Fatal(err)
		}
		j := get(t, s, "a")
		if j.Status != Completed || j.Result == nil || *j.Result != *res || j.Error != "" || j.StartedAt != running.StartedAt {
			t.Errorf("Get after End = %+v", j)
		}
		finished, expires := parseStamp(t, j.FinishedAt), parseStamp(t, j.ExpiresAt)
		if expires.Sub(finished) != time.Hour || finished.Before(parseStamp(t, j.StartedAt)) {
			t.Errorf("finished %s, expires %s: want expiry one TTL after the end", j.FinishedAt, j.ExpiresAt)
		}
		list := listed(t, s)
		if len(list) != 1 || list[0].Result != nil || list[0].Status != Completed {
			t.Errorf("List = %+v, want the job without its result", list)
		}

		// Ending again, or cancelling, changes nothing.
		c.End(ctx, Outcome{Status: Failed, Error: "late"})
		after, ok, err := s.Cancel(ctx, "a")
		if err != nil || !ok || after.Status != Completed || after.Result == nil {
			t.Errorf("Cancel of an ended job = %+v, %v, %v; want it unchanged", after, ok, err)
		}
	})

	t.Run("Failed", func(t *testing.T) {
		s := newStore(t, time.Hour)
		c := submitClaim(t, s, "f")
		c.End(t.Context(), Outcome{Status: Failed, Error: "HTTP 503", Result: &Completion{Text: "ignored"}})
		if j := get(t, s, "f"); j.Status != Failed || j.Error != "HTTP 503" || j.Result != nil {
			t.Errorf("failed job = %+v", j)
		}
	})

	t.Run("OldestFirst", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t, time.Hour)
		for _, id := range []string{"a", "b", "c"} {
			if _, err := s.Submit(ctx, id, Request{Message: id}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Submit(ctx, "b", Request{Message: "again"}); err == nil {
			t.Error("a second job b was accepted")
		}
		if got := ids(listed(t, s)); !slices.Equal(got, []string{"a", "b", "c"}) {
			t.Errorf("List = %v, want a b c", got)
		}
		for _, want := range []string{"a", "b", "c"} {
			c, err := s.Claim(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if id, _ := c.Job(); id != want {
				t.Errorf("claimed %s, want %s", id, want)
			}
		}
	})

	t.Run("ClaimWaits", func(t *testing.T) {
		s := newStore(t, time.Hour)
		got := make(chan string, 1)
		go func() {
			c, err := s.Claim(t.Context())
			if err != nil {
				got <- err.Error()
				return
			}
			id, _ := c.Job()
			got <- id
		}()
		if _, err := s.Submit(t.Context(), "late", Request{Message: "x"}); err != nil {
			t.Fatal(err)
		}
		if id := receive(t, got); id != "late" {
			t.Errorf("Claim = %s, want late", id)
		}

		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() {
			_, err := s.Claim(ctx)
			errc <- err
		}()
		cancel()
		if err := receive(t, errc); !errors.Is(err, context.Canceled) {
			t.Errorf("Claim after cancel = %v, want context.Canceled", err)
		}
	})

	t.Run("CancelQueued", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t, time.Hour)
		s.Submit(ctx, "a", Request{Message: "a"})
		s.Submit(ctx, "b", Request{Message: "b"})
		j, ok, err := s.Cancel(ctx, "a")
		if err != nil || !ok || j.Status != Cancelled || j.Error != cancelledText || j.FinishedAt == "" || j.ExpiresAt == "" {
			t.Errorf("Cancel(a) = %+v, %v, %v", j, ok, err)
		}
		c, err := s.Claim(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if id, _ := c.Job(); id != "b" {
			t.Errorf("claimed %s; want b, a being cancelled", id)
		}
	})

	t.Run("CancelRunning", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t, time.Hour)
		c := submitClaim(t, s, "r")
		select {
		case <-c.Stopped():
			t.Fatal("Stopped before any cancel")
		default:
		}
		if j, ok, err := s.Cancel(ctx, "r"); err != nil || !ok || j.Status != Cancelled {
			t.Fatalf("Cancel = %+v, %v, %v", j, ok, err)
		}
		receive(t, c.Stopped())
		c.End(ctx, Outcome{Status: Completed, Result: &Completion{Text: "too late"}})
		if j := get(t, s, "r"); j.Status != Cancelled || j.Error != cancelledText || j.Result != nil {
			t.Errorf("after the worker ended it anyway: %+v", j)
		}
	})

	t.Run("Unknown", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t, time.Hour)
		if _, ok, err := s.Get(ctx, "nope"); ok || err != nil {
			t.Errorf("Get(nope) = %v, %v", ok, err)
		}
		if _, ok, err := s.Cancel(ctx, "nope"); ok || err != nil {
			t.Errorf("Cancel(nope) = %v, %v", ok, err)
		}
		if err := s.Wait(ctx, "nope"); err != nil {
			t.Errorf("Wait(nope) = %v", err)
		}
	})

	t.Run("Wait", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t, time.Hour)
		c := submitClaim(t, s, "w")
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if err := s.Wait(short, "w"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait on a running job, for 50ms = %v; want the deadline", err)
		}
		errc := make(chan error, 1)
		go func() { errc <- s.Wait(ctx, "w") }()
		c.End(ctx, Outcome{Status: Completed, Result: &Completion{Text: "ok"}})
		if err := receive(t, errc); err != nil {
			t.Errorf("Wait = %v", err)
		}
		if j := get(t, s, "w"); j.Status != Completed {
			t.Errorf("after Wait: %+v", j)
		}
	})

	t.Run("Expiry", func(t *testing.T) {
		ctx := t.Context()
		const ttl = 200 * time.Millisecond
		s := newStore(t, ttl)
		submitClaim(t, s, "running")
		done := submitClaim(t, s, "done")
		done.End(ctx, Outcome{Status: Completed, Result: &Completion{Text: "hi"}})
		j := get(t, s, "done")
		if d := parseStamp(t, j.ExpiresAt).Sub(parseStamp(t, j.FinishedAt)); d != ttl {
			t.Errorf("expires %v after the end, want %v", d, ttl)
		}
		waitFor(t, func() bool {
			_, ok, err := s.Get(ctx, "done")
			return err == nil && !ok
		})
		// It ended after the other started, and expired: the running job
		// does not.
		if j := get(t, s, "running"); j.Status != Running {
			t.Errorf("running job = %+v", j)
		}
		if got := ids(listed(t, s)); !slices.Equal(got, []string{"running"}) {
			t.Errorf("List = %v, want only the running job", got)
		}
		if ev, ok := s.(evicter); ok {
			waitFor(t, func() bool { // the Redis index keeps a second's margin
				n, err := ev.Evict(ctx)
				return err == nil && n == 1
			})
			if got := ids(listed(t, s)); !slices.Equal(got, []string{"running"}) {
				t.Errorf("List after Evict = %v", got)
			}
		}
	})

	t.Run("Release", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t, time.Hour)
		c := submitClaim(t, s, "x")
		if err := c.Release(ctx); err != nil {
			t.Fatal(err)
		}
		j := get(t, s, "x")
		if !shared {
			if j.Status != Cancelled || j.Error != stoppedText {
				t.Errorf("released job = %+v, want cancelled: %s", j, stoppedText)
			}
			return
		}
		if j.Status != Queued || j.StartedAt != "" {
			t.Errorf("released job = %+v, want queued again", j)
		}
		again := claimNext(t, s)
		if id, _ := again.Job(); id != "x" {
			t.Errorf("claimed %s after the release, want x", id)
		}
	})

	t.Run("OneWorkerEach", func(t *testing.T) {
		ctx := t.Context()
		s := newStore(t, time.Hour)
		const jobs, workers = 60, 4
		for i := range jobs {
			if _, err := s.Submit(ctx, fmt.Sprintf("j%02d", i), Request{Message: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		var (
			mu  sync.Mutex
			got = map[string]int{}
			wg  sync.WaitGroup
		)
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		for range workers {
			wg.Go(func() {
				for {
					c, err := s.Claim(cctx)
					if err != nil {
						return
					}
					id, _ := c.Job()
					c.End(ctx, Outcome{Status: Completed, Result: &Completion{Text: id}})
					mu.Lock()
					got[id]++
					if len(got) == jobs {
						cancel()
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for id, n := range got {
			if n != 1 {
				t.Errorf("job %s claimed %d times", id, n)
			}
		}
		if len(got) != jobs {
			t.Errorf("%d jobs claimed, want %d", len(got), jobs)
		}
	})
}

// claimNext claims the next job.
func claimNext(t *testing.T, s Store) Claim {
	t.Helper()
	c, err := s.Claim(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func get(t *testing.T, s Store, id string) Job {
	t.Helper()
	j, ok, err := s.Get(t.Context(), id)
	if err != nil || !ok {
		t.Fatalf("Get(%s) = %v, %v", id, ok, err)
	}
	return j
}

func listed(t *testing.T, s Store) []Job {
	t.Helper()
	jobs, err := s.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

func ids(jobs []Job) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = j.TaskID
	}
	return out
}

func parseStamp(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return v
}

// receive returns what ch gives, failing the test if nothing comes within
// a deadline far above any delay expected.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("nothing came within 10s")
		var zero T
		return zero
	}
}
