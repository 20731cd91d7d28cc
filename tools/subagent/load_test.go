package subagent

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

// TestLoad submits 1,000 background jobs through the tool to an endpoint
// with 20ms of latency, 64 at a time, and checks that none is lost, every
// answer is its own and retrievable until its TTL, and none after.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const jobs, ttl = 1000, time.Hour
	ts := fakeopenai.NewTestResponder(t, fakeopenai.Echo(20*time.Millisecond), fakeopenai.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	clk := newClock()
	st := NewMemoryStore(ttl, clk.Now)
	svc := New(Endpoint{BaseURL: ts.URL}, &Options{Store: st, TTL: ttl, MaxJobs: 64})
	cs := connect(t, svc, nil)

	ids := make([]string, jobs)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < jobs; i += 8 {
				var out SendOutput
				call(t, cs, params("sub_agent_send", map[string]any{"message": fmt.Sprintf("job %d", i), "background": true}), false, &out)
				ids[i] = out.TaskID
			}
		})
	}
	wg.Wait()

	deadline := time.Now().Add(time.Minute)
	for i, id := range ids {
		j, ok := st.get(id)
		for ok && !j.Status.Final() && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
			j, ok = st.get(id)
		}
		if !ok || j.Status != Completed || j.Result == nil || j.Result.Text != fmt.Sprintf("You said: job %d", i) {
			t.Fatalf("job %d (%s) = %+v, %v; want completed with its own answer", i, id, j, ok)
		}
	}
	if n := len(ts.Requests()); n != jobs {
		t.Errorf("the endpoint saw %d requests, want %d", n, jobs)
	}
	unique := slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(unique) != jobs {
		t.Errorf("%d distinct task ids, want %d", len(unique), jobs)
	}

	clk.Advance(ttl - time.Nanosecond)
	if n, _ := st.Evict(t.Context()); n != 0 {
		t.Errorf("evicted %d before the TTL", n)
	}
	for _, id := range ids {
		if _, ok := st.get(id); !ok {
			t.Fatalf("job %s gone before its TTL", id)
		}
	}
	clk.Advance(time.Nanosecond)
	for _, id := range ids {
		if _, ok := st.get(id); ok {
			t.Fatalf("job %s still there at its TTL", id)
		}
	}
	var list ListOutput
	call(t, cs, params("sub_agent_list", nil), false, &list)
	if list.Count != 0 {
		t.Errorf("list after the TTL has %d jobs", list.Count)
	}
	if n, _ := st.Evict(t.Context()); n != jobs || st.Len() != 0 {
		t.Errorf("evicted %d, %d left; want %d and 0", n, st.Len(), jobs)
	}
}
