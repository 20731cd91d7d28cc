// Package stubtb has stand-ins for testing.TB that the fakes' tests use:
// Recorder, to check that a fake fails a test, and Run, to run a test body
// inside a runnable example, which has no *testing.T.
package stubtb

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Recorder is a testing.TB that records failures reported with Errorf
// instead of failing; everything else goes to the TB it embeds.
type Recorder struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

// Errorf records the failure.
func (r *Recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// Failures returns the failures recorded, one per line.
func (r *Recorder) Failures() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errors, "\n")
}

// Run runs test the way go test runs a test, for a runnable example: its
// testing.TB prints each failure to stdout, where the example's Output
// shows it, discards logs, ends test on FailNow, Fatal and Skip, and runs
// the cleanups, last first, before Run returns.
func Run(test func(t testing.TB)) {
	ctx, cancel := context.WithCancel(context.Background())
	t := &exampleTB{ctx: ctx}
	done := make(chan struct{})
	go func() {
		defer close(done)
		test(t)
	}()
	<-done
	cancel()
	t.mu.Lock()
	cleanups := t.cleanups
	t.mu.Unlock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
}

// exampleTB implements the testing.TB methods the fakes and the examples
// use; the nil TB it embeds makes any other one panic.
type exampleTB struct {
	testing.TB
	ctx      context.Context
	mu       sync.Mutex
	cleanups []func()
	failed   bool
}

func (t *exampleTB) Helper()                   {}
func (t *exampleTB) Name() string              { return "Example" }
func (t *exampleTB) Context() context.Context  { return t.ctx }
func (t *exampleTB) Log(args ...any)           {}
func (t *exampleTB) Logf(string, ...any)       {}
func (t *exampleTB) Error(args ...any)         { t.fail(fmt.Sprint(args...)) }
func (t *exampleTB) Errorf(f string, a ...any) { t.fail(fmt.Sprintf(f, a...)) }
func (t *exampleTB) Fatal(args ...any)         { t.fail(fmt.Sprint(args...)); runtime.Goexit() }
func (t *exampleTB) Fatalf(f string, a ...any) { t.fail(fmt.Sprintf(f, a...)); runtime.Goexit() }
func (t *exampleTB) FailNow()                  { t.fail(""); runtime.Goexit() }
func (t *exampleTB) Skip(args ...any)          { runtime.Goexit() }
func (t *exampleTB) Skipf(string, ...any)      { runtime.Goexit() }
func (t *exampleTB) SkipNow()                  { runtime.Goexit() }

func (t *exampleTB) Fail() { t.fail("") }

func (t *exampleTB) Failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failed
}

func (t *exampleTB) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

func (t *exampleTB) fail(msg string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failed = true
	if msg != "" {
		fmt.Println("FAIL:", msg)
	}
}
