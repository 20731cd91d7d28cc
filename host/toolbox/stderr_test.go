package toolbox

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLineLog(t *testing.T) {
	var out bytes.Buffer
	w := newLineLog(slog.New(slog.NewTextHandler(&out, nil)).With("server", "s"), 3)
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
	w := newLineLog(slog.New(slog.NewTextHandler(&out, nil)), 2)
	w.Write(bytes.Repeat([]byte("x"), maxLine+10))
	if tail := w.Tail(); len(tail) != 1 || len(tail[0]) != maxLine+10 {
		t.Errorf("a line longer than %d bytes was not logged at once: %d lines", maxLine, len(tail))
	}
	fmt.Fprint(w, "rest\n")
	if tail := w.Tail(); tail[len(tail)-1] != "rest" {
		t.Errorf("last line %q", tail[len(tail)-1])
	}
}
