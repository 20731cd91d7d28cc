package grep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/owulveryck/gomcptest/tools/glob"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// A Query says what to search for and where.
type Query struct {
	Re       *regexp.Regexp
	Dir      string        // absolute, resolved directory (or file) to search
	Include  *glob.Pattern // nil: every file
	Context  int           // lines of context around each match
	NoIgnore bool          // do not honour .gitignore files
	MaxHits  int           // stop after this many matching lines; 0: no limit
	Policy   *toolkit.Policy
	Workers  int // 0: GOMAXPROCS
}

// A Line is one line of a result: a match, or context around one.
type Line struct {
	Path    string `json:"path"`
	Number  int    `json:"line"`
	Text    string `json:"text"`
	Context bool   `json:"context,omitempty"`
}

// A Result is what a search found.
type Result struct {
	Lines     []Line // in path order, then line order; groups of context are separated by a Line with Number 0
	Hits      int    // matching lines in Lines
	Files     int    // files with a match
	Searched  int    // files searched
	Truncated bool   // the search stopped at MaxHits
}

// sniffLen is how much of a file is examined for a NUL byte, which marks
// it as binary.
const sniffLen = 8 << 10

// Search runs q. Files are searched in parallel; the result is in path
// order (directory by directory, names sorted) whatever the scheduling.
// It skips .git directories, binary files, symbolic links to directories
// and links that lead out of the policy's root, and, unless q.NoIgnore,
// what .gitignore files exclude.
//
// Every directory and file is read through the policy's root, so nothing
// outside it is read, even if a symbolic link is swapped in during the
// search. A q.Dir that does not exist gives an error wrapping
// fs.ErrNotExist.
func Search(ctx context.Context, q Query) (Result, error) {
	root, name, err := q.Policy.Open(q.Dir)
	if err != nil {
		return Result{}, err
	}
	top := &dir{root: root}
	top.hold()
	defer top.release() // after the workers, which end before results is closed
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := q.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan job, 256)
	results := make(chan fileResult, 256)

	var walkErr error
	go func() {
		defer close(jobs)
		walkErr = walk(ctx, q, top, name, jobs)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := scanner{q: q}
			for j := range jobs {
				if ctx.Err() != nil {
					j.dir.release()
					continue // drain, so the walker is never blocked
				}
				lines := s.file(j)
				j.dir.release()
				results <- fileResult{seq: j.seq, lines: lines}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	var res Result
	pending := map[int]fileResult{}
	next := 0
	for r := range results {
		pending[r.seq] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if res.Truncated {
				continue
			}
			res.Searched++
			res.add(r.lines, q.Context > 0, q.MaxHits)
			if res.Truncated {
				cancel()
			}
		}
	}
	if walkErr != nil && !res.Truncated {
		return Result{}, walkErr
	}
	if err := context.Cause(ctx); err != nil && !res.Truncated && !errors.Is(err, context.Canceled) {
		return Result{}, err
	}
	return res, nil
}

// add appends one file's lines, stopping at max matching lines. With
// context, a separator Line (Number 0) goes between files, as within one.
func (r *Result) add(lines []Line, context bool, max int) {
	if len(lines) == 0 {
		return
	}
	r.Files++
	if context && len(r.Lines) > 0 {
		r.Lines = append(r.Lines, Line{})
	}
	for _, l := range lines {
		if l.Number > 0 && !l.Context {
			if max > 0 && r.Hits == max {
				r.Truncated = true
				break
			}
			r.Hits++
		}
		r.Lines = append(r.Lines, l)
	}
	if r.Truncated { // drop the context after the last match shown
		for len(r.Lines) > 0 && (r.Lines[len(r.Lines)-1].Context || r.Lines[len(r.Lines)-1].Number == 0) {
			r.Lines = r.Lines[:len(r.Lines)-1]
		}
	}
}

// A job is a file to search, held in dir until a worker is done with it.
type job struct {
	seq  int
	path string // as shown: under q.Dir
	dir  *dir
	name string // in dir
}

// A dir is a directory open as a Root of its own, so that its files are
// opened one step from it, not path by path from the top, and so that
// nothing swapped in on the way to it since the walk went by can lead out.
// The walk holds it while it lists it and each job while it waits; the
// last to release it closes it.
type dir struct {
	root *toolkit.Root
	refs atomic.Int32
}

func (d *dir) hold() { d.refs.Add(1) }

func (d *dir) release() {
	if d.refs.Add(-1) == 0 {
		d.root.Close()
	}
}

type fileResult struct {
	seq   int
	lines []Line
}

// walk sends the files to search, in path order: those under name, the
// directory (or file) q.Dir in top.
func walk(ctx context.Context, q Query, top *dir, name string, jobs chan<- job) error {
	info, err := top.root.Stat(name)
	if err != nil {
		return err
	}
	seq := 0
	// send hands a file of d to the workers, which release it.
	send := func(p string, d *dir, name string) error {
		d.hold()
		select {
		case jobs <- job{seq: seq, path: p, dir: d, name: name}:
			seq++
			return nil
		case <-ctx.Done():
			d.release()
			return ctx.Err()
		}
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			// Opening a FIFO would block beyond the reach of ctx, and a
			// device such as /dev/zero would never end.
			return fmt.Errorf("%s is not a regular file or a directory (%s)", q.Dir, info.Mode().Type())
		}
		return send(q.Dir, top, name)
	}
	var ignores ignoreStack
	if !q.NoIgnore {
		ignores = parentIgnores(top.root, q.Dir)
	}
	// visit walks d, shown as shown and named name in top, and releases it.
	var visit func(d *dir, shown, name string, ignores ignoreStack) error
	visit = func(d *dir, shown, name string, ignores ignoreStack) error {
		defer d.release()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !q.NoIgnore {
			ignores = ignores.push(d.root, shown, ".")
		}
		entries, err := d.root.ReadDir(".")
		if err != nil {
			return nil // an unreadable directory holds no matches
		}
		for _, e := range entries {
			p, n := join(shown, e.Name()), join(name, e.Name())
			typ := e.Type()
			if typ.IsDir() {
				if e.Name() == ".git" || ignores.ignored(p, true) {
					continue
				}
				sub, err := open(d.root, e.Name())
				if err != nil {
					continue
				}
				if err := visit(sub, p, n, ignores); err != nil {
					return err
				}
				continue
			}
			if q.Include != nil && !q.Include.MatchName(strings.TrimPrefix(p[len(q.Dir):], "/")) {
				continue
			}
			if ignores.ignored(p, false) {
				continue
			}
			switch {
			case typ.IsRegular():
				err = send(p, d, e.Name())
			case typ&fs.ModeSymlink != 0:
				real, info, ferr := top.root.Follow(n)
				if ferr != nil || !info.Mode().IsRegular() {
					continue // leads out of the root, or to a directory
				}
				err = send(p, top, real)
			default:
				continue // FIFOs, devices, sockets
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	d, err := open(top.root, name)
	if err != nil {
		return nil
	}
	return visit(d, strings.TrimSuffix(q.Dir, "/"), name, ignores)
}

// open opens the directory name of r as a dir, held once.
func open(r *toolkit.Root, name string) (*dir, error) {
	sub, err := r.Sub(name)
	if err != nil {
		return nil, err
	}
	d := &dir{root: sub}
	d.hold()
	return d, nil
}

// join joins a directory and an entry's name, as a path to show (dir is
// absolute) or a name in the root (dir may be ".").
func join(dir, name string) string {
	switch dir {
	case "/":
		return "/" + name
	case ".":
		return name
	}
	return dir + "/" + name
}

// A scanner searches files one at a time, reusing its buffer.
type scanner struct {
	q   Query
	buf []byte
}

// file returns the matching lines of one file, with their context.
func (s *scanner) file(j job) []Line {
	// O_NONBLOCK: a FIFO swapped in since the walk saw a regular file
	// must not block the worker; the Stat below then skips it.
	f, err := j.dir.root.OpenFile(j.name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return nil
	}
	data, err := s.read(f, info.Size())
	if err != nil {
		return nil
	}
	head := data[:min(len(data), sniffLen)]
	if bytes.IndexByte(head, 0) >= 0 {
		return nil
	}
	return s.match(j.path, data)
}

// read reads f, of size bytes when it was opened, whole into the
// scanner's buffer.
func (s *scanner) read(f *os.File, size int64) ([]byte, error) {
	if int(size)+1 > cap(s.buf) {
		s.buf = make([]byte, 0, int(size)+1)
	}
	data := s.buf[:0]
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	s.buf = data
	return data, nil
}

// match finds the lines of data that q.Re matches. It searches the whole
// buffer for the next match, then checks the line that holds it on its
// own, so that a match never spans lines while the regexp (and its literal
// prefilter) runs over large spans.
func (s *scanner) match(p string, data []byte) []Line {
	var (
		hits    []span
		lineNo  = 1
		counted = 0 // lineNo is the number of the line starting at counted
	)
	for pos := 0; pos < len(data); {
		loc := s.q.Re.FindIndex(data[pos:])
		if loc == nil {
			break
		}
		at := pos + loc[0]
		start := bytes.LastIndexByte(data[:at], '\n') + 1
		end := len(data)
		if i := bytes.IndexByte(data[at:], '\n'); i >= 0 {
			end = at + i
		}
		// A match that ends within its line needs no second look.
		if pos+loc[1] <= end || s.q.Re.Match(data[start:end]) {
			lineNo += bytes.Count(data[counted:start], newline)
			counted = start
			hits = append(hits, span{n: lineNo, start: start, end: end})
		}
		pos = end + 1
	}
	if len(hits) == 0 {
		return nil
	}
	if s.q.Context == 0 {
		lines := make([]Line, len(hits))
		for i, h := range hits {
			lines[i] = Line{Path: p, Number: h.n, Text: text(data[h.start:h.end])}
		}
		return lines
	}
	return withContext(p, data, hits, s.q.Context)
}

var newline = []byte{'\n'}

// A span is one line of a file: its number and where it lies.
type span struct{ n, start, end int }

// withContext returns the matching lines with c lines of context around
// each, merging groups that touch and separating the others with a Line
// whose Number is 0.
func withContext(p string, data []byte, hits []span, c int) []Line {
	all := splitLines(data)
	isHit := make(map[int]bool, len(hits))
	for _, h := range hits {
		isHit[h.n] = true
	}
	var lines []Line
	last := 0 // last line number added
	for _, h := range hits {
		from, to := max(h.n-c, last+1, 1), min(h.n+c, len(all))
		if last > 0 && from > last+1 {
			lines = append(lines, Line{})
		}
		for n := from; n <= to; n++ {
			l := all[n-1]
			lines = append(lines, Line{Path: p, Number: n, Text: text(data[l.start:l.end]), Context: !isHit[n]})
		}
		last = max(last, to)
	}
	return lines
}

// splitLines returns the spans of every line of data.
func splitLines(data []byte) []span {
	var lines []span
	for start, n := 0, 1; start < len(data); n++ {
		end := len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i
		}
		lines = append(lines, span{n: n, start: start, end: end})
		start = end + 1
	}
	return lines
}

// text is a line for display: without \r, cut to maxLine bytes.
func text(line []byte) string {
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) > maxLine {
		return string(bytes.ToValidUTF8(line[:maxLine], nil)) + "… [line cut]"
	}
	return string(line)
}

// maxLine is the number of bytes of a line shown.
const maxLine = 500
