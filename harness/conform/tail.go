package conform

import (
	"bytes"
	"fmt"
	"sync"
)

// How much of a server's stderr the report keeps: its end, as that is
// where a crash says why.
const (
	stderrBytes = 64 << 10
	stderrLines = 200
)

// A tail is an io.Writer that keeps the last bytes and lines written to
// it. It is safe for concurrent use.
type tail struct {
	maxBytes, maxLines int

	mu      sync.Mutex
	buf     []byte
	lines   int // newlines in buf
	dropped int // bytes dropped from the front
}

func newTail(maxBytes, maxLines int) *tail { return &tail{maxBytes: maxBytes, maxLines: maxLines} }

func (t *tail) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	t.lines += bytes.Count(p, []byte{'\n'})
	cut := max(len(t.buf)-t.maxBytes, 0)
	t.lines -= bytes.Count(t.buf[:cut], []byte{'\n'})
	partial := 0 // a last line without its newline counts too
	if t.buf[len(t.buf)-1] != '\n' {
		partial = 1
	}
	for t.lines+partial > t.maxLines {
		i := bytes.IndexByte(t.buf[cut:], '\n')
		if i < 0 {
			break
		}
		cut += i + 1
		t.lines--
	}
	if cut > 0 {
		t.dropped += cut
		t.buf = append(t.buf[:0], t.buf[cut:]...)
	}
	return len(p), nil
}

// String returns what is kept, saying how much was dropped before it.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dropped > 0 {
		return fmt.Sprintf("[%d bytes before]\n%s", t.dropped, t.buf)
	}
	return string(t.buf)
}
