package grep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// files writes name -> content under a new directory and returns it.
func files(t *testing.T, m map[string]string) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range m {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func search(t *testing.T, q Query) Result {
	t.Helper()
	if q.Policy == nil {
		q.Policy, _ = toolkit.NewPolicy(nil)
	}
	res, err := Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestSearchOrder checks that results come in path order whatever the
// number of workers.
func TestSearchOrder(t *testing.T) {
	m := map[string]string{}
	var want []string
	for i := range 50 {
		name := fmt.Sprintf("d%d/f%02d.txt", i%3, i)
		m[name] = "x\nhit\n"
	}
	dir := files(t, m)
	for d := range 3 {
		for i := range 50 {
			if i%3 == d {
				want = append(want, fmt.Sprintf("%s/d%d/f%02d.txt:2", dir, d, i))
			}
		}
	}
	for _, workers := range []int{1, 4, 16} {
		res := search(t, Query{Re: regexp.MustCompile("hit"), Dir: dir, Workers: workers})
		var got []string
		for _, l := range res.Lines {
			got = append(got, fmt.Sprintf("%s:%d", l.Path, l.Number))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("workers=%d (-want +got):\n%s", workers, diff)
		}
	}
}

func TestSearchLines(t *testing.T) {
	dir := files(t, map[string]string{"a.txt": "one\ntwo x\nthree\nfour\nfive x\nsechs\nseven\neight\nnine x"})
	tests := []struct {
		name    string
		pattern string
		context int
		want    []string
	}{
		{"matches", "x", 0, []string{"2:two x", "5:five x", "9:nine x"}},
		{"anchors are per line", "^f", 0, []string{"4:four", "5:five x"}},
		{"no match across lines", `x\sthree`, 0, nil},
		{"context merges and splits", "x", 1, []string{"1-one", "2:two x", "3-three", "4-four", "5:five x", "6-sechs", "--", "8-eight", "9:nine x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, Query{Re: regexp.MustCompile("(?m)" + tt.pattern), Dir: dir, Context: tt.context})
			var got []string
			for _, l := range res.Lines {
				switch {
				case l.Number == 0:
					got = append(got, "--")
				case l.Context:
					got = append(got, fmt.Sprintf("%d-%s", l.Number, l.Text))
				default:
					got = append(got, fmt.Sprintf("%d:%s", l.Number, l.Text))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSearchMaxHits(t *testing.T) {
	m := map[string]string{}
	for i := range 20 {
		m[fmt.Sprintf("f%02d", i)] = "hit\nhit\n"
	}
	dir := files(t, m)
	res := search(t, Query{Re: regexp.MustCompile("hit"), Dir: dir, MaxHits: 5})
	if !res.Truncated || res.Hits != 5 || len(res.Lines) != 5 {
		t.Fatalf("got %d hits, %d lines, truncated=%v; want 5, 5, true", res.Hits, len(res.Lines), res.Truncated)
	}
	if last := res.Lines[4]; last.Path != dir+"/f02" || last.Number != 1 {
		t.Errorf("last line %s:%d, want the first 5 in order, ending at f02:1", last.Path, last.Number)
	}
}

func TestSearchCancelled(t *testing.T) {
	dir := files(t, map[string]string{"a": "hit"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, _ := toolkit.NewPolicy(nil)
	if _, err := Search(ctx, Query{Re: regexp.MustCompile("hit"), Dir: dir, Policy: p}); !errors.Is(err, context.Canceled) {
		t.Errorf("Search on a cancelled context: error = %v, want context.Canceled", err)
	}
}

// TestSearchNotRegular checks that a path naming a FIFO (or a device) is
// refused, not opened: opening a FIFO blocks until a writer comes, and
// neither the call's context nor its timeout could end the wait.
func TestSearchNotRegular(t *testing.T) {
	dir := files(t, nil)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	t.Cleanup(func() {
		// Release a reader the search may have left blocked.
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	p, _ := toolkit.NewPolicy(nil)
	done := make(chan error, 1)
	go func() {
		_, err := Search(context.Background(), Query{Re: regexp.MustCompile("x"), Dir: fifo, Policy: p})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Search on a FIFO: no error, want one saying it is not a regular file")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Search on a FIFO still blocked after 10s")
	}
}
