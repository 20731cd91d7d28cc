package toolbox

import (
	"bytes"
	"log/slog"
	"sync"
	"time"
)

// maxLine bounds a stderr line held in memory; a longer one is logged in
// pieces, so a server that never writes a newline cannot grow the host.
const maxLine = 64 << 10

// lineLog is the stderr of one server process: it logs each line as it
// comes, as far as the server's rate limit allows, and keeps the last few
// to explain a failed start, logged or not.
type lineLog struct {
	log   *slog.Logger
	limit *bucket
	keep  int

	mu      sync.Mutex
	partial []byte   // the line being written, without its newline
	tail    [][]byte // a ring of the last keep lines; slots are reused
	next    int      // the oldest slot, once the ring is full
	dropped int      // lines not logged since the last notice
}

func newLineLog(log *slog.Logger, keep int, limit *bucket) *lineLog {
	return &lineLog{log: log, keep: keep, limit: limit}
}

func (w *lineLog) Write(p []byte) (int, error) {
	n := len(p)
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			break
		}
		line := p[:i]
		if len(w.partial) > 0 {
			w.partial = append(w.partial, line...)
			line = w.partial
		}
		w.emit(line)
		w.partial = w.partial[:0]
		p = p[i+1:]
	}
	w.partial = append(w.partial, p...)
	if len(w.partial) >= maxLine {
		w.emit(w.partial)
		w.partial = w.partial[:0]
	}
	return n, nil
}

// Flush logs a last line that had no newline, and how many lines were
// dropped since the last notice; call it once the process is gone.
func (w *lineLog) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.emit(w.partial)
		w.partial = w.partial[:0]
	}
	w.notice()
}

// Tail returns the last lines written, oldest first.
func (w *lineLog) Tail() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, len(w.tail))
	for i := range w.tail {
		out[i] = string(w.tail[(w.next+i)%len(w.tail)])
	}
	return out
}

func (w *lineLog) emit(line []byte) {
	line = bytes.TrimSuffix(line, []byte("\r"))
	w.remember(line)
	if !w.limit.take() {
		w.dropped++
		return
	}
	w.notice()
	w.log.Info("server stderr", "line", string(line))
}

// notice logs how many lines were dropped, if any.
func (w *lineLog) notice() {
	if w.dropped > 0 {
		w.log.Warn("dropped stderr lines", "lines", w.dropped, "reason", "over the rate limit")
		w.dropped = 0
	}
}

// remember copies line into the tail, reusing the oldest slot so that a
// flood of lines does not allocate.
func (w *lineLog) remember(line []byte) {
	switch {
	case w.keep <= 0:
	case len(w.tail) < w.keep:
		w.tail = append(w.tail, append([]byte(nil), line...))
	default:
		w.tail[w.next] = append(w.tail[w.next][:0], line...)
		w.next = (w.next + 1) % w.keep
	}
}

// A bucket is a token bucket of log lines: it holds up to burst tokens and
// gains rate tokens a second. It is safe for concurrent use, as the old and
// the new process of a restarted server may write at once.
type bucket struct {
	burst, rate float64
	now         func() time.Time

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func newBucket(burst int, rate float64, now func() time.Time) *bucket {
	return &bucket{burst: float64(burst), rate: rate, now: now, tokens: float64(burst), last: now()}
}

// take reports whether a line may be logged now, and spends its token.
func (b *bucket) take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.now()
	if d := t.Sub(b.last); d > 0 {
		b.tokens = min(b.burst, b.tokens+d.Seconds()*b.rate)
		b.last = t
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
