package subagent

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

func scripted(t *testing.T, text string, fake ...fakeopenai.Option) *fakeopenai.TestServer {
	t.Helper()
	sc, err := fakeopenai.ParseScenario(t.Name()+".txtar", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return fakeopenai.NewTestServer(t, sc, fake...)
}

func TestSendSync(t *testing.T) {
	ts := scripted(t, `
-- answer --
expect text Summarise
expect system terse
expect model gpt-4o-mini
delay 300ms
text The text
text " says hello."
usage prompt=12 completion=3
`, fakeopenai.WithAPIKey("sk-test"))
	svc := New(Endpoint{BaseURL: ts.URL, APIKey: "sk-test"}, &Options{ProgressInterval: 20 * time.Millisecond})
	var (
		mu       sync.Mutex
		progress []*mcp.ProgressNotificationParams
	)
	cs := connect(t, svc, func(p *mcp.ProgressNotificationParams) {
		mu.Lock()
		progress = append(progress, p)
		mu.Unlock()
	})
	p := params("sub_agent_send", map[string]any{"message": "Summarise this", "system": "Be terse.", "model": "gpt-4o-mini"})
	p.SetProgressToken("tok")
	var out SendOutput
	text := call(t, cs, p, false, &out)
	if text != "The text says hello." {
		t.Errorf("text = %q", text)
	}
	want := SendOutput{Text: "The text says hello.", Model: "gpt-4o-mini", FinishReason: "stop", Usage: &Usage{12, 3, 15}}
	if out != want && (out.Usage == nil || *out.Usage != *want.Usage || out.Text != want.Text || out.Model != want.Model || out.FinishReason != want.FinishReason) {
		t.Errorf("structured = %+v, want %+v", out, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(progress) == 0 {
		t.Fatal("no progress notification while waiting 300ms")
	}
	if !strings.HasPrefix(progress[0].Message, "waiting for gpt-4o-mini at "+ts.URL) {
		t.Errorf("progress message = %q", progress[0].Message)
	}
}

func TestSendErrors(t *testing.T) {
	ts := scripted(t, `
-- rate limited --
error 429 Rate limit reached for requests
-- down --
error 503 The server is overloaded
-- slow --
delay 1h
text too late
-- unknown model --
expect refused 404 gpt-9
`)
	svc := New(Endpoint{BaseURL: ts.URL}, &Options{RequestTimeout: 100 * time.Millisecond})
	cs := connect(t, svc, nil)
	for _, want := range []string{
		"is rate limiting (HTTP 429): Rate limit reached for requests; wait a little",
		"failed (HTTP 503): The server is overloaded; try again later",
		"no answer from " + ts.URL + " within 100ms (the request timeout)",
	} {
		got := call(t, cs, params("sub_agent_send", map[string]any{"message": "hi"}), true, nil)
		if !strings.Contains(got, want) {
			t.Errorf("error %q, want %q", got, want)
		}
	}
	// The fake refuses an unknown model, as the scenario expects.
	got := call(t, cs, params("sub_agent_send", map[string]any{"message": "hi", "model": "gpt-9"}), true, nil)
	if !strings.Contains(got, `has no model "gpt-9" (HTTP 404)`) {
		t.Errorf("unknown model: %q", got)
	}
	if got := call(t, cs, params("sub_agent_send", map[string]any{"message": "  "}), true, nil); !strings.Contains(got, "message is empty") {
		t.Errorf("empty message: %q", got)
	}
}

func TestSendBadKey(t *testing.T) {
	ts := scripted(t, "-- wrong key --\nexpect refused 401 Incorrect API key\n", fakeopenai.WithAPIKey("sk-right"))
	cs := connect(t, New(Endpoint{BaseURL: ts.URL, APIKey: "sk-wrong"}, nil), nil)
	got := call(t, cs, params("sub_agent_send", map[string]any{"message": "hi"}), true, nil)
	if !strings.Contains(got, "refused the API key (HTTP 401): Incorrect API key provided") || !strings.Contains(got, "check OPENAI_API_KEY") {
		t.Errorf("error %q", got)
	}
}

// TestMissingKey: the default endpoint without a key fails at call time,
// before any request, with the fix in the message.
func TestMissingKey(t *testing.T) {
	cs := connect(t, New(Endpoint{}, nil), nil)
	got := call(t, cs, params("sub_agent_send", map[string]any{"message": "hi"}), true, nil)
	if !strings.Contains(got, "OPENAI_API_KEY is not set: https://api.openai.com/v1 needs an API key") {
		t.Errorf("error %q", got)
	}
	var job SendOutput
	call(t, cs, params("sub_agent_send", map[string]any{"message": "hi", "background": true}), false, &job)
	var got2 Job
	call(t, cs, params("sub_agent_get_result", map[string]any{"task_id": job.TaskID, "wait_seconds": 10}), false, &got2)
	if got2.Status != Failed || !strings.Contains(got2.Error, "OPENAI_API_KEY is not set") {
		t.Errorf("background job = %+v, want failed for the key", got2)
	}
}

func TestBackground(t *testing.T) {
	ts := scripted(t, `
-- slow answer --
expect text first
delay 200ms
text first answer
`)
	svc := New(Endpoint{BaseURL: ts.URL, Model: "gpt-4o-mini"}, nil)
	cs := connect(t, svc, nil)

	var sent SendOutput
	text := call(t, cs, params("sub_agent_send", map[string]any{"message": "the first task", "background": true}), false, &sent)
	if sent.Status != Queued || len(sent.TaskID) != 36 {
		t.Fatalf("background send = %+v, want a uuid, queued", sent)
	}
	if !strings.Contains(text, `"task_id":"`+sent.TaskID+`"`) || !strings.Contains(text, `"status":"queued"`) {
		t.Errorf("text = %s", text)
	}

	// During: listed, not ended, no result.
	var list ListOutput
	call(t, cs, params("sub_agent_list", nil), false, &list)
	if list.Count != 1 || list.Results[0].TaskID != sent.TaskID || list.Results[0].Status.Final() ||
		list.Results[0].Preview != "the first task" || list.Results[0].Model != "gpt-4o-mini" {
		t.Errorf("list during = %+v", list)
	}
	var j Job
	call(t, cs, params("sub_agent_get_result", map[string]any{"task_id": sent.TaskID}), false, &j)
	if j.Status.Final() || j.Result != nil {
		t.Errorf("get during = %+v, want queued or running", j)
	}

	// After: completed with its result and times.
	call(t, cs, params("sub_agent_get_result", map[string]any{"task_id": sent.TaskID, "wait_seconds": 30}), false, &j)
	if j.Status != Completed || j.Result == nil || j.Result.Text != "first answer" || j.StartedAt == "" || j.FinishedAt == "" || j.ExpiresAt == "" {
		t.Errorf("get after = %+v", j)
	}
	call(t, cs, params("sub_agent_list", nil), false, &list)
	if list.Count != 1 || list.Results[0].Status != Completed || list.Results[0].Result != nil {
		t.Errorf("list after = %+v", list)
	}

	// Unknown ids.
	got := call(t, cs, params("sub_agent_get_result", map[string]any{"task_id": "nope"}), true, nil)
	if !strings.Contains(got, `task "nope" not found or expired`) {
		t.Errorf("unknown id: %q", got)
	}
}

func TestCancel(t *testing.T) {
	ts := scripted(t, `
-- hangs --
delay 1h
text never
`)
	// One slot: the second job waits queued behind the first.
	svc := New(Endpoint{BaseURL: ts.URL}, &Options{MaxJobs: 1})
	cs := connect(t, svc, nil)
	var one, two SendOutput
	call(t, cs, params("sub_agent_send", map[string]any{"message": "one", "background": true}), false, &one)
	call(t, cs, params("sub_agent_send", map[string]any{"message": "two", "background": true}), false, &two)
	// Either may take the slot; wait until its request reached the fake.
	waitFor(t, func() bool { return len(ts.Requests()) == 1 })
	running, queued := one, two
	if j, _, _ := svc.Store().Get(t.Context(), one.TaskID); j.Status != Running {
		running, queued = two, one
	}
	if j, _, _ := svc.Store().Get(t.Context(), running.TaskID); j.Status != Running {
		t.Fatalf("job %+v, want running", j)
	}
	if j, _, _ := svc.Store().Get(t.Context(), queued.TaskID); j.Status != Queued {
		t.Fatalf("job %+v, want queued behind the other", j)
	}

	for _, id := range []string{queued.TaskID, running.TaskID} {
		var j Job
		call(t, cs, params("sub_agent_cancel", map[string]any{"task_id": id}), false, &j)
		if j.Status != Cancelled || j.FinishedAt == "" {
			t.Errorf("cancel %s = %+v", id, j)
		}
	}
	got := call(t, cs, params("sub_agent_cancel", map[string]any{"task_id": running.TaskID}), true, nil)
	if !strings.Contains(got, "already ended (cancelled)") {
		t.Errorf("second cancel: %q", got)
	}
	// The cancelled request left the endpoint: the fake's handler returned
	// (the test server's Close would block otherwise).
}

// waitFor waits until cond holds, failing after a deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(time.Millisecond)
	}
}
