// Package syncbuf is a text buffer that one goroutine may write while
// another reads it, such as a process's stderr read while it runs.
package syncbuf

import (
	"strings"
	"sync"
)

// A Buffer is a strings.Builder safe for concurrent use. The zero value
// is empty and ready to use.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// WriteString appends s.
func (b *Buffer) WriteString(s string) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.WriteString(s)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
