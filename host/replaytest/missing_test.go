package replaytest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/owulveryck/gomcptest/harness/vcr"
)

// Deleting one interaction from one cassette fails exactly the test that
// needs it, with a message naming the cassette and the request.
func TestMissingInteractionFailsOnlyItsTest(t *testing.T) {
	if mode, _ := vcr.ModeFromEnv(); mode != vcr.Replay {
		t.Skip("replay only")
	}
	dir := t.TempDir()
	for _, c := range cases {
		data, err := os.ReadFile(filepath.Join(cassettes, c.name+".yaml"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, c.name+".yaml"), data, 0o644))
	}
	deleteInteraction(t, filepath.Join(dir, "tool_call.yaml"), 1)

	for _, c := range cases {
		ct := &captureTB{TB: t}
		ct.run(func() { c.run(ct, host(t, ct, dir, c)) })
		if c.name != "tool_call" {
			assert.Empty(t, ct.errors, "%s failed", c.name)
			continue
		}
		msg := strings.Join(ct.errors, "\n")
		assert.Contains(t, msg, filepath.Join(dir, "tool_call.yaml"))
		assert.Contains(t, msg, "no unused interaction matches")
		assert.Contains(t, msg, "request: POST /v1beta1/projects/PROJECT/locations/LOCATION/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
		assert.Contains(t, msg, `"functionResponse":{"name":"sleep"`, "the message shows the request body")
	}
}

// deleteInteraction removes interaction n (from 0) of a cassette.
func deleteInteraction(t *testing.T, file string, n int) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal(data, &doc))
	list := doc["interactions"].([]any)
	doc["interactions"] = append(list[:n], list[n+1:]...)
	out, err := yaml.Marshal(doc)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, out, 0o644))
}

// captureTB collects what a test would report instead of failing the
// enclosing one, and runs its cleanups when the test body ends.
type captureTB struct {
	testing.TB
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

func (c *captureTB) Helper() {}

func (c *captureTB) Errorf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.errors = append(c.errors, fmt.Sprintf(format, args...))
	c.TB.Logf("captured: "+format, args...)
}

func (c *captureTB) Error(args ...any) { c.Errorf("%s", fmt.Sprint(args...)) }

func (c *captureTB) Fatalf(format string, args ...any) {
	c.Errorf(format, args...)
	runtime.Goexit()
}

func (c *captureTB) Fatal(args ...any) { c.Fatalf("%s", fmt.Sprint(args...)) }

func (c *captureTB) FailNow() { runtime.Goexit() }

func (c *captureTB) Failed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.errors) > 0
}

func (c *captureTB) Cleanup(f func()) { c.cleanups = append(c.cleanups, f) }

// run runs body as a test would, in its own goroutine, then the cleanups.
func (c *captureTB) run(body func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		body()
	}()
	<-done
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		c.cleanups[i]()
	}
}
