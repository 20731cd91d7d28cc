package toolbox

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
)

// maxLine bounds a stderr line held in memory; a longer one is logged in
// pieces, so a server that never writes a newline cannot grow the host.
const maxLine = 64 << 10

// lineLog is the stderr of one server process: it logs each line as it
// comes and keeps the last few to explain a failed start.
type lineLog struct {
	log     *slog.Logger
	keep    int
	mu      sync.Mutex
	partial []byte
	tail    []string
}

func newLineLog(log *slog.Logger, keep int) *lineLog {
	return &lineLog{log: log, keep: keep}
}

func (w *lineLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.emit(w.partial[:i])
		w.partial = w.partial[i+1:]
	}
	if len(w.partial) >= maxLine {
		w.emit(w.partial)
		w.partial = nil
	}
	return len(p), nil
}

// Flush logs a last line that had no newline; call it once the process is
// gone.
func (w *lineLog) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.emit(w.partial)
		w.partial = nil
	}
}

// Tail returns the last lines written, oldest first.
func (w *lineLog) Tail() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.tail...)
}

func (w *lineLog) emit(b []byte) {
	line := strings.TrimSuffix(string(b), "\r")
	w.log.Info("server stderr", "line", line)
	if w.keep <= 0 {
		return
	}
	if len(w.tail) == w.keep {
		w.tail = append(w.tail[:0], w.tail[1:]...)
	}
	w.tail = append(w.tail, line)
}
