package subagent

import (
	"net/http"
	"sync/atomic"
	"testing"

	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

// TestClose: closing the service ends the open jobs, said to be stopped.
func TestClose(t *testing.T) {
	ts := scripted(t, "-- hangs --\ndelay 1h\ntext never\n")
	svc := New(Endpoint{BaseURL: ts.URL}, nil)
	j := svc.Submit(Request{Message: "hang"})
	waitFor(t, func() bool { return len(ts.Requests()) == 1 })
	svc.Close()
	got, ok := svc.Store().Get(j.TaskID)
	if !ok || got.Status != Cancelled || got.Error != "the sub-agent server stopped" {
		t.Errorf("job after Close = %+v, %v", got, ok)
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
	j := svc.Submit(Request{Message: "pong"})
	if got, _ := svc.Store().Wait(t.Context(), j.TaskID); got.Status != Completed {
		t.Fatalf("job = %+v", got)
	}
	if n := rt.n.Load(); n != 2 {
		t.Errorf("the HTTP client saw %d requests, want 2", n)
	}
}
