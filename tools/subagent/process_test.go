package subagent

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
)

// The test binary doubles as the sub-agent binary: with asSubAgent set it
// runs Main on its arguments instead of the tests, so that the tests below
// run two real sub-agent processes on one Redis.
const asSubAgent = "SUBAGENT_TEST_AS_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(asSubAgent) == "1" {
		os.Exit(Main())
	}
	os.Exit(m.Run())
}

// A subAgent is a sub-agent process and an MCP session with it.
type subAgent struct {
	cs  *mcp.ClientSession
	cmd *exec.Cmd
}

// startSubAgent runs a sub-agent process with the Redis store at redisURL
// and the endpoint at baseURL, and connects to it over stdio; it is
// stopped when the test ends.
func startSubAgent(t *testing.T, redisURL, baseURL string, args ...string) *subAgent {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-store", redisURL, "-log-level", "debug"}, args...)...)
	cmd.Env = append(os.Environ(), asSubAgent+"=1", "OPENAI_BASE_URL="+baseURL, "OPENAI_API_KEY=", "SUBAGENT_STORE=", "TTL=")
	cmd.Stderr = t.Output()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	cs, err := client.Connect(t.Context(), &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("starting a sub-agent: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return &subAgent{cs: cs, cmd: cmd}
}

// send sends message in the background and returns its task id.
func (a *subAgent) send(t *testing.T, message string) string {
	t.Helper()
	var out SendOutput
	call(t, a.cs, params("sub_agent_send", map[string]any{"message": message, "background": true}), false, &out)
	return out.TaskID
}

// result waits up to 60s for the job id to end and returns it.
func (a *subAgent) result(t *testing.T, id string) Job {
	t.Helper()
	var j Job
	call(t, a.cs, params("sub_agent_get_result", map[string]any{"task_id": id, "wait_seconds": 60}), false, &j)
	return j
}

// upstream is a fake endpoint that the tests steer by the message: one
// starting with "hang" waits until its request is abandoned (the client
// went away or cancelled it), one starting with "hang once" only the first
// time it comes; any other is echoed at once.
type upstream struct {
	URL     string
	arrived chan string // the message of each request, as it arrives
	left    chan string // the message of each request abandoned

	mu   sync.Mutex
	seen map[string]int
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{arrived: make(chan string, 100), left: make(chan string, 100), seen: make(map[string]int)}
	u.URL = fakeopenai.NewTestResponder(t, fakeopenai.ResponderFunc(u.respond), nil).URL
	return u
}

func (u *upstream) respond(ctx context.Context, req *fakeopenai.ChatRequest) (*fakeopenai.Turn, error) {
	msg := req.LastUserText()
	u.mu.Lock()
	u.seen[msg]++
	n := u.seen[msg]
	u.mu.Unlock()
	u.arrived <- msg
	if strings.HasPrefix(msg, "hang") && (n == 1 || !strings.HasPrefix(msg, "hang once")) {
		<-ctx.Done()
		u.left <- msg
		return nil, ctx.Err()
	}
	return &fakeopenai.Turn{Chunks: []string{"You said: ", msg}}, nil
}

func (u *upstream) count(msg string) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.seen[msg]
}

// TestProcessesShareJobs: a background job sent to one sub-agent process
// is listed and fetched through another that shares its Redis.
func TestProcessesShareJobs(t *testing.T) {
	url, up := startRedis(t), newUpstream(t)
	a, b := startSubAgent(t, url, up.URL), startSubAgent(t, url, up.URL)

	id := a.send(t, "the shared task")
	var list ListOutput
	call(t, b.cs, params("sub_agent_list", nil), false, &list)
	if list.Count != 1 || list.Results[0].TaskID != id || list.Results[0].Preview != "the shared task" {
		t.Errorf("list through b = %+v, want the job sent through a", list)
	}
	if j := b.result(t, id); j.Status != Completed || j.Result == nil || j.Result.Text != "You said: the shared task" {
		t.Errorf("result through b = %+v", j)
	}
	call(t, a.cs, params("sub_agent_list", nil), false, &list)
	if list.Count != 1 || list.Results[0].Status != Completed {
		t.Errorf("list through a = %+v", list)
	}
	if n := up.count("the shared task"); n != 1 {
		t.Errorf("the endpoint saw the task %d times, want once", n)
	}
}

// TestProcessKilledMidJob: the process running a job is killed (SIGKILL,
// no chance to hand it back); the other takes the job over once its lease
// has run out and completes it.
func TestProcessKilledMidJob(t *testing.T) {
	url, up := startRedis(t), newUpstream(t)
	const msg = "hang once: the long task"
	a := startSubAgent(t, url, up.URL, "-lease", "1s")
	id := a.send(t, msg)
	if got := receive(t, up.arrived); got != msg { // a runs it: b is not there yet
		t.Fatalf("the endpoint got %q", got)
	}
	b := startSubAgent(t, url, up.URL, "-lease", "1s")
	if err := a.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	receive(t, up.left) // a's request died with it

	j := b.result(t, id)
	if j.Status != Completed || j.Result == nil || j.Result.Text != "You said: "+msg {
		t.Errorf("result through b = %+v, want completed by b", j)
	}
	if n := up.count(msg); n != 2 {
		t.Errorf("the endpoint saw the task %d times, want twice (a, then b)", n)
	}
}

// TestProcessStopReleases: a process that is stopped (SIGTERM) hands its
// running job back at once: the other runs it although the lease (1h) is
// far from over.
func TestProcessStopReleases(t *testing.T) {
	url, up := startRedis(t), newUpstream(t)
	const msg = "hang once: handed over"
	a := startSubAgent(t, url, up.URL, "-lease", "1h")
	id := a.send(t, msg)
	receive(t, up.arrived)
	b := startSubAgent(t, url, up.URL, "-lease", "1h")
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if j := b.result(t, id); j.Status != Completed || j.Result == nil || j.Result.Text != "You said: "+msg {
		t.Errorf("result through b = %+v, want completed by b", j)
	}
}

// TestProcessTTL: with -ttl 1s, a finished job is gone for every process
// shortly after it ended.
func TestProcessTTL(t *testing.T) {
	url, up := startRedis(t), newUpstream(t)
	a, b := startSubAgent(t, url, up.URL, "-ttl", "1s"), startSubAgent(t, url, up.URL, "-ttl", "1s")
	id := a.send(t, "short-lived")
	j := b.result(t, id)
	if j.Status != Completed {
		t.Fatalf("result = %+v", j)
	}
	if d := parseStamp(t, j.ExpiresAt).Sub(parseStamp(t, j.FinishedAt)); d != time.Second {
		t.Errorf("expires %v after it ended, want 1s", d)
	}
	waitFor(t, func() bool {
		res, err := b.cs.CallTool(t.Context(), params("sub_agent_get_result", map[string]any{"task_id": id}))
		return err == nil && res.IsError
	})
	got := call(t, b.cs, params("sub_agent_get_result", map[string]any{"task_id": id}), true, nil)
	if want := fmt.Sprintf("task %q not found or expired: results are kept for 1s", id); !strings.Contains(got, want) {
		t.Errorf("after the TTL: %q, want %q", got, want)
	}
	var list ListOutput
	call(t, a.cs, params("sub_agent_list", nil), false, &list)
	if list.Count != 0 {
		t.Errorf("list through a after the TTL = %+v", list)
	}
}

// TestProcessCancel: sub_agent_cancel through one process stops the job
// running in the other: its request to the endpoint is abandoned.
func TestProcessCancel(t *testing.T) {
	url, up := startRedis(t), newUpstream(t)
	const msg = "hang: cancel me"
	a := startSubAgent(t, url, up.URL)
	id := a.send(t, msg)
	receive(t, up.arrived) // a runs it
	b := startSubAgent(t, url, up.URL)

	var j Job
	call(t, b.cs, params("sub_agent_cancel", map[string]any{"task_id": id}), false, &j)
	if j.Status != Cancelled || j.Error != cancelledText {
		t.Errorf("cancel through b = %+v", j)
	}
	if got := receive(t, up.left); got != msg {
		t.Errorf("abandoned %q", got)
	}
	if j := a.result(t, id); j.Status != Cancelled || j.Error != cancelledText || j.Result != nil {
		t.Errorf("result through a = %+v", j)
	}
}
