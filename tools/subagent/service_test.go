package subagent

import (
	"net/http"
	"sync/atomic"
	"testing"

	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

// TestClose: closing the service ends the open jobs, running or queued,
// said to be stopped.
func TestClose(t *testing.T) {
	ts := scripted(t, "-- hangs --\ndelay 1h\ntext never\n", nil)
	svc := New(Endpoint{BaseURL: ts.URL}, &Options{MaxJobs: 1}) // the second job stays queued
	j, err := svc.Submit(t.Context(), Request{Message: "hang"})
	if err != nil {
		t.Fatal(err)
	}
	queued, err := svc.Submit(t.Context(), Request{Message: "hang"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return len(ts.Requests()) == 1 })
	svc.Close()
	got, ok, _ := svc.Store().Get(t.Context(), j.TaskID)
	if !ok || got.Status != Cancelled || got.Error != "the sub-agent server stopped" {
		t.Errorf("job after Close = %+v, %v", got, ok)
	}
	if got, _, _ := svc.Store().Get(t.Context(), queued.TaskID); got.Status != Cancelled || got.Error != "the sub-agent server stopped" {
		t.Errorf("queued job after Close = %+v", got)
	}
}

type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestHTTPClient: every request goes through Options.HTTPClient, the seam
// for record and replay.
func TestHTTPClient(t *testing.T) {
	ts := fakeopenai.NewTestResponder(t, fakeopenai.Echo(0))
	rt := &countingTransport{}
	svc := New(Endpoint{BaseURL: ts.URL}, &Options{HTTPClient: &http.Client{Transport: rt}})
	defer svc.Close()
	c, err := svc.Send(t.Context(), Request{Message: "ping"})
	if err != nil || c.Text != "You said: ping" {
		t.Fatalf("Send = %+v, %v", c, err)
	}
	j, err := svc.Submit(t.Context(), Request{Message: "pong"})
	if err != nil {
		t.Fatal(err)
	}
	svc.Store().Wait(t.Context(), j.TaskID)
	if got, _, _ := svc.Store().Get(t.Context(), j.TaskID); got.Status != Completed {
		t.Fatalf("job = %+v", got)
	}
	if n := rt.n.Load(); n != 2 {
		t.Errorf("the HTTP client saw %d requests, want 2", n)
	}
}
