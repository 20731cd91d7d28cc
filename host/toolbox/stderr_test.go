package toolbox

import (
	"bytes"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLineLog(t *testing.T) {
	var out bytes.Buffer
	w := newLineLog(slog.New(slog.NewTextHandler(&out, nil)).With("server", "s"), 3, newBucket(100, 1, time.Now))
	for _, chunk := range []string{"one\r\ntw", "o\nthree\n", "four\nfi", "ve"} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", chunk, n, err)
		}
	}
	if diff := cmp.Diff([]string{"two", "three", "four"}, w.Tail()); diff != "" {
		t.Errorf("tail before flush (-want +got):\n%s", diff)
	}
	w.Flush()
	if diff := cmp.Diff([]string{"three", "four", "five"}, w.Tail()); diff != "" {
		t.Errorf("tail after flush (-want +got):\n%s", diff)
	}
	var lines []string
	for l := range strings.Lines(out.String()) {
		if !strings.Contains(l, "server=s") {
			t.Errorf("log line without server: %s", l)
		}
		lines = append(lines, l[strings.Index(l, "line="):])
	}
	want := []string{"line=one\n", "line=two\n", "line=three\n", "line=four\n", "line=five\n"}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("logged lines (-want +got):\n%s", diff)
	}
}

func TestLineLogBoundsLongLines(t *testing.T) {
	var out bytes.Buffer
	w := newLineLog(slog.New(slog.NewTextHandler(&out, nil)), 2, newBucket(100, 1, time.Now))
	w.Write(bytes.Repeat([]byte("x"), maxLine+10))
	if tail := w.Tail(); len(tail) != 1 || len(tail[0]) != maxLine+10 {
		t.Errorf("a line longer than %d bytes was not logged at once: %d lines", maxLine, len(tail))
	}
	fmt.Fprint(w, "rest\n")
	if tail := w.Tail(); tail[len(tail)-1] != "rest" {
		t.Errorf("last line %q", tail[len(tail)-1])
	}
}

// A clock is a fake clock that moves only when told to.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// logLines returns the lines of a text log with their time removed.
func logLines(log string) []string {
	var lines []string
	for l := range strings.Lines(log) {
		if _, rest, ok := strings.Cut(l, " level="); ok {
			l = "level=" + rest
		}
		lines = append(lines, strings.TrimSuffix(l, "\n"))
	}
	return lines
}

func TestLineLogRateLimit(t *testing.T) {
	var out bytes.Buffer
	c := &clock{t: time.Unix(1e9, 0)}
	w := newLineLog(slog.New(slog.NewTextHandler(&out, nil)), 3, newBucket(2, 3, c.now))
	for i := range 5 {
		fmt.Fprintf(w, "a%d\n", i)
	}
	c.advance(time.Second) // 3 more lines, no more than 2 at once
	fmt.Fprint(w, "b0\nb1\nb2\n")
	c.advance(time.Second / 2)
	fmt.Fprint(w, "c0\nc1\n")
	w.Flush()
	want := []string{
		`level=INFO msg="server stderr" line=a0`,
		`level=INFO msg="server stderr" line=a1`,
		`level=WARN msg="dropped stderr lines" lines=3 reason="over the rate limit"`,
		`level=INFO msg="server stderr" line=b0`,
		`level=INFO msg="server stderr" line=b1`,
		`level=WARN msg="dropped stderr lines" lines=1 reason="over the rate limit"`,
		`level=INFO msg="server stderr" line=c0`,
		`level=WARN msg="dropped stderr lines" lines=1 reason="over the rate limit"`,
	}
	if diff := cmp.Diff(want, logLines(out.String())); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b2", "c0", "c1"}, w.Tail()); diff != "" {
		t.Errorf("tail (-want +got):\n%s", diff)
	}
}

// lineCounter counts the log lines written to it, and keeps those that
// are not stderr lines.
type lineCounter struct {
	lines  int
	others []string
}

func (c *lineCounter) Write(p []byte) (int, error) {
	for l := range strings.Lines(string(p)) {
		c.lines++
		if !strings.Contains(l, `msg="server stderr"`) {
			c.others = append(c.others, l)
		}
	}
	return len(p), nil
}

func TestLineLogFlood(t *testing.T) {
	const (
		size  = 50 << 20
		burst = 100
	)
	var out lineCounter
	c := &clock{t: time.Unix(1e9, 0)}
	w := newLineLog(slog.New(slog.NewTextHandler(&out, nil)), 3, newBucket(burst, 10, c.now))
	line := []byte(strings.Repeat("x", 90) + " line 0000000\n")
	chunk := make([]byte, 0, 32<<10) // what os/exec copies at a time
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for written := 0; written < size; written += len(chunk) {
		chunk = chunk[:0]
		for len(chunk)+len(line) <= cap(chunk) {
			for i, v := len(line)-2, n; i >= len(line)-8; i, v = i-1, v/10 {
				line[i] = '0' + byte(v%10) // no fmt: only w may allocate
			}
			chunk = append(chunk, line...)
			n++
		}
		w.Write(chunk)
	}
	w.Flush()
	runtime.ReadMemStats(&after)
	if out.lines != burst+1 {
		t.Errorf("%d lines written to stderr gave %d log lines, want %d", n, out.lines, burst+1)
	}
	if want := fmt.Sprintf("lines=%d ", n-burst); len(out.others) != 1 || !strings.Contains(out.others[0], want) {
		t.Errorf("notices %q, want one with %s", out.others, want)
	}
	tail := w.Tail()
	if len(tail) != 3 || !strings.HasSuffix(tail[2], fmt.Sprintf(" line %07d", n-1)) {
		t.Errorf("tail %q, want the last 3 lines", tail)
	}
	// Memory does not grow with the flood: 50 MB go through a few
	// kilobytes of buffers.
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d lines (%d MB) gave %d log lines; allocated %d bytes", n, size>>20, out.lines, alloc)
	if alloc > 4<<20 {
		t.Errorf("taking 50 MB of stderr allocated %d bytes", alloc)
	}
}

func TestStderrFloodIsRateLimited(t *testing.T) {
	frozen := time.Unix(1e9, 0) // so that only the burst is logged
	const burst = 10
	tb, logs := newTestToolbox(t, &Options{StderrBurst: burst, Now: func() time.Time { return frozen }},
		testServer(t, "noisy", "flood"))
	if got := callText(t, tb, "echo", `{"text":"still serving"}`); got != ":still serving" {
		t.Errorf("echo answered %q", got)
	}
	if err := tb.Close(); err != nil {
		t.Fatal(err)
	}
	// The server wrote a first line, then floodLines lines.
	logs.waitFor(t, "level=WARN", "server=noisy", "dropped stderr lines", fmt.Sprintf("lines=%d ", floodLines+1-burst))
	if n := strings.Count(logs.String(), `msg="server stderr"`); n != burst {
		t.Errorf("%d stderr lines logged, want %d", n, burst)
	}
}

func TestStartFailureQuotesDroppedLines(t *testing.T) {
	_, err := New(t.Context(), []ServerSpec{testServer(t, "bad", "fail")}, &Options{StderrBurst: 1})
	if err == nil || !strings.Contains(err.Error(), "fail line 29") || !strings.Contains(err.Error(), "fatal: no config") {
		t.Errorf("New: %v; want the last lines of stderr, logged or not", err)
	}
}
