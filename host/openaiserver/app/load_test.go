package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// childEnv makes the test binary run openaiserver instead of the tests, so
// the load test measures a server process of its own.
const childEnv = "GOMCPTEST_OPENAISERVER_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Args = append([]string{"openaiserver"}, os.Args[1:]...)
		os.Exit(Main())
	}
	os.Exit(m.Run())
}

// The documented bound (SECURITY.md) on the server's peak resident memory
// under TestLoad, with the default limits.
const loadRSSBound = 1 << 30

// TestLoad holds 1,000 idle connections open while 1,000 streams arrive at
// once, then sends 16 bodies of 24 MiB at once: every stream completes or
// gets 429, the peak RSS stays under loadRSSBound, and the server serves a
// request afterwards. It is bounded in count and in time (a minute).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test takes a few seconds")
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	addr, pid := startChild(t, ctx)

	var idle []net.Conn
	defer func() {
		for _, c := range idle {
			c.Close()
		}
	}()
	for range 1000 {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		require.NoError(t, err)
		idle = append(idle, c)
	}

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}}
	counts := load(t, ctx, client, addr, 1000, `{"model":"gemini-2.5-flash","stream":true,"messages":[{"role":"user","content":"Hello"}]}`)
	t.Logf("1,000 streams beside 1,000 idle connections: %v", counts)
	assert.Equal(t, 1000, counts[200]+counts[429], "every stream completes or gets 429: %v", counts)
	assert.Positive(t, counts[200])

	big := `{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"` + strings.Repeat("x", 24<<20) + `"}]}`
	counts = load(t, ctx, client, addr, 16, big)
	t.Logf("16 bodies of 24 MiB at once: %v", counts)
	assert.Equal(t, 16, counts[200]+counts[429], "every large request is answered or gets 429: %v", counts)
	assert.Positive(t, counts[429], "the body memory budget refused some")

	status, body := chat(ctx, client, addr, `{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hello"}]}`)
	assert.Equal(t, 200, status, "the server keeps serving: %s", body)

	peak := peakRSS(t, pid)
	t.Logf("peak RSS of the server: %d MiB (bound %d MiB)", peak>>20, loadRSSBound>>20)
	assert.Less(t, peak, int64(loadRSSBound))
}

// startChild runs openaiserver on the offline model on a free port and
// returns its address and pid.
func startChild(t *testing.T, ctx context.Context) (string, int) {
	t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], "-port", "0", "-host", "127.0.0.1")
	cmd.Env = []string{childEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	addrc := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			line := lines.Text()
			if m := listening.FindStringSubmatch(line); m != nil {
				addrc <- m[1]
			}
			if !strings.Contains(line, "level=INFO") {
				t.Log("server:", line)
			}
		}
	}()
	select {
	case addr := <-addrc:
		return addr, cmd.Process.Pid
	case <-ctx.Done():
		t.Fatal("the server did not start listening")
		return "", 0
	}
}

var listening = regexp.MustCompile(`msg=listening url=http://(\S+)`)

// load sends n copies of body at once and counts the answers by status.
// A 200 must be a whole answer, a 429 must say when to retry; any other
// answer counts under its status, and a failed request under 0.
func load(t *testing.T, ctx context.Context, client *http.Client, addr string, n int, body string) map[int]int {
	t.Helper()
	var (
		mu     sync.Mutex
		counts = map[int]int{}
		wg     sync.WaitGroup
	)
	for range n {
		wg.Go(func() {
			status, b := chat(ctx, client, addr, body)
			if status == 200 && !strings.Contains(b, "[DONE]") && !strings.Contains(b, `"finish_reason":"stop"`) {
				t.Errorf("a 200 that is not a whole answer: %.200s", b)
			}
			if status != 200 && status != 429 {
				t.Errorf("status %d: %.300s", status, b)
			}
			mu.Lock()
			counts[status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return counts
}

func chat(ctx context.Context, client *http.Client, addr, body string) (int, string) {
	req, err := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/v1/chat/completions", strings.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err.Error()
	}
	if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
		return -429, "429 without Retry-After"
	}
	return resp.StatusCode, string(b)
}

var vmHWM = regexp.MustCompile(`VmHWM:\s+(\d+) kB`)

// peakRSS is the largest resident set pid has had.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	m := vmHWM.FindSubmatch(status)
	require.NotNil(t, m, "no VmHWM in /proc/%d/status", pid)
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return kb << 10
}
