package vcr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gopkg.in/dnaeon/go-vcr.v2/cassette"
	"gopkg.in/yaml.v3"
)

// ErrNoInteraction is returned (wrapped, with the cassette, the request
// and the nearest recorded one) in Replay mode for a request the cassette
// has no unused interaction for.
var ErrNoInteraction = errors.New("no unused interaction matches")

// Options configure a Recorder. The zero value replays with the default
// matching and redaction.
type Options struct {
	// Mode is Replay when empty. NewTest takes an empty Mode from the
	// -record flag and GOMCPTEST_VCR (see ModeFromEnv); New does not.
	Mode Mode
	// Transport reaches the real service in Record, RecordMissing and Off
	// modes; it is the one that adds credentials, so they are never seen
	// above it and never reach the cassette. Nil means
	// http.DefaultTransport.
	Transport http.RoundTripper
	// Header is written as # comment lines at the top of a recorded
	// cassette: what was recorded, against what, and how to record it
	// again. In RecordMissing mode an empty Header keeps the cassette's.
	Header string
	// Secrets maps values of the recording run (project id, API key) to
	// the placeholders written instead, on top of the built-in redaction
	// (see the package documentation).
	Secrets map[string]string
	// Matcher says whether a recorded request answers the one sent. Both
	// are as the cassette holds them: redacted, and with URL the path and
	// query only, since the host differs between recording and replay.
	// Nil is DefaultMatcher. It is called one call at a time, under the
	// recorder's lock, so it must not call the recorder.
	Matcher func(sent, recorded cassette.Request) bool
	// BeforeSave is called on each interaction recorded in this run, after
	// the built-in redaction and before the cassette is written, to edit
	// it in place: redact more, drop a header, shorten a body. An error
	// stops the write and is returned by Close. It has the shape of
	// go-vcr's cassette.Filter.
	BeforeSave func(*cassette.Interaction) error
	// Logger gets a line per request; nil discards.
	Logger *slog.Logger
}

// A Recorder is an http.RoundTripper that replays a cassette, records
// one, or passes requests through, as its Mode says. It is safe for
// concurrent use.
type Recorder struct {
	file       string
	mode       Mode
	next       http.RoundTripper
	header     string
	redact     *redactor
	match      func(sent, recorded cassette.Request) bool
	beforeSave func(*cassette.Interaction) error
	logger     *slog.Logger
	onMiss     func(error) // set by NewTest

	mu           sync.Mutex
	interactions []*cassette.Interaction // read from the file, then recorded
	used         []bool                  // one per interaction; a recorded one is used
	lines        []int                   // the line of each interaction read from the file
	saved        int                     // interactions redacted and written, or read
	pending      sync.WaitGroup
}

// New returns a recorder for the cassette file (a go-vcr v2 YAML file).
// In Replay and RecordMissing modes it reads the file now (in
// RecordMissing a missing file is an empty cassette); in Record and
// RecordMissing modes Close writes it. New reads no environment: the mode
// is opts.Mode.
func New(file string, opts *Options) (*Recorder, error) {
	if opts == nil {
		opts = &Options{}
	}
	r := &Recorder{
		file:       file,
		mode:       opts.Mode,
		next:       opts.Transport,
		header:     opts.Header,
		redact:     newRedactor(opts.Secrets),
		match:      opts.Matcher,
		beforeSave: opts.BeforeSave,
		logger:     opts.Logger,
	}
	if r.mode == "" {
		r.mode = Replay
	}
	if _, err := ParseMode(string(r.mode)); err != nil {
		return nil, err
	}
	if r.next == nil {
		r.next = http.DefaultTransport
	}
	if r.match == nil {
		r.match = DefaultMatcher
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.mode == Replay || r.mode == RecordMissing {
		if err := r.load(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Mode is the recorder's mode.
func (r *Recorder) Mode() Mode { return r.mode }

// File is the cassette's file name.
func (r *Recorder) File() string { return r.file }

// Client returns an HTTP client whose transport is r.
func (r *Recorder) Client() *http.Client { return &http.Client{Transport: r} }

func (r *Recorder) load() error {
	data, err := os.ReadFile(r.file)
	if errors.Is(err, fs.ErrNotExist) && r.mode == RecordMissing {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no cassette %s (record it in Record mode, which NewTest takes from %s=record or -record): %w", r.file, EnvVar, err)
	}
	if err != nil {
		return fmt.Errorf("reading cassette: %w", err)
	}
	var c cassette.Cassette
	if err := yaml.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("reading cassette %s: %w", r.file, err)
	}
	var doc struct {
		Interactions []yaml.Node `yaml:"interactions"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("reading cassette %s: %w", r.file, err)
	}
	for _, n := range doc.Interactions {
		r.lines = append(r.lines, n.Line)
	}
	r.interactions = c.Interactions
	r.used = make([]bool, len(c.Interactions))
	r.saved = len(c.Interactions)
	if r.header == "" {
		r.header = comment(data)
	}
	return nil
}

// comment returns the # lines that open a cassette, without the #.
func comment(data []byte) string {
	var lines []string
	for l := range strings.SplitSeq(string(data), "\n") {
		text, ok := strings.CutPrefix(l, "#")
		if !ok {
			break
		}
		lines = append(lines, strings.TrimPrefix(text, " "))
	}
	return strings.Join(lines, "\n")
}

// RoundTrip answers req from the cassette (Replay), or sends it on and
// records the exchange (Record), or does the first when it can and the
// second when it cannot (RecordMissing), or only sends it on (Off).
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.mode == Off {
		return r.next.RoundTrip(req)
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	if r.mode == Record {
		return r.record(req, body)
	}
	sent := r.sent(req, body)
	n, i := r.take(sent)
	if i != nil {
		r.logger.Debug("replayed", "cassette", r.file, "interaction", n, "method", sent.Method, "path", sent.URL, "status", i.Response.Code)
		return response(req, i), nil
	}
	if r.mode == RecordMissing {
		return r.record(req, body)
	}
	err = r.miss(sent)
	if r.onMiss != nil {
		r.onMiss(err)
	}
	return nil, err
}

func readBody(req *http.Request) (string, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return "", nil
	}
	defer req.Body.Close()
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return "", fmt.Errorf("reading request body: %w", err)
	}
	return string(b), nil
}

// sent is the request as matching sees it: redacted as the cassette
// would hold it, the URL reduced to path and query.
func (r *Recorder) sent(req *http.Request, body string) cassette.Request {
	return cassette.Request{
		Method:  req.Method,
		URL:     r.redact.path(req.URL),
		Headers: r.redact.headers(req.Header, nil),
		Body:    r.redact.text(body),
	}
}

// recorded is interaction n's request as matching sees it, reduced as
// sent reduces the request sent.
func (r *Recorder) recorded(n int) cassette.Request {
	q := r.interactions[n].Request
	q.URL = r.matchURL(q.URL)
	q.Body = r.redact.text(q.Body)
	return q
}

// take marks and returns the first unused interaction that matches.
func (r *Recorder) take(sent cassette.Request) (int, *cassette.Interaction) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for n, i := range r.interactions {
		if r.used[n] || !r.match(sent, r.recorded(n)) {
			continue
		}
		r.used[n] = true
		return n, i
	}
	return -1, nil
}

// miss is the error for a request no interaction answers: the cassette,
// the request, and the recorded one most likely meant.
func (r *Recorder) miss(sent cassette.Request) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	body := canonical(sent.Body)
	return fmt.Errorf("cassette %s: %w\n\trequest: %s %s\n\tbody: %s\n\tnearest: %s",
		r.file, ErrNoInteraction, sent.Method, sent.URL, excerpt(body), r.nearest(sent.Method, sent.URL, body))
}

// nearest describes the first unused interaction with the same method
// and path, else the same path, else any: the one most likely meant.
func (r *Recorder) nearest(method, path, body string) string {
	if len(r.interactions) == 0 {
		return "none: the cassette holds no interactions"
	}
	best, score := -1, -1
	for n := range r.interactions {
		if r.used[n] {
			continue
		}
		q := r.recorded(n)
		s := 0
		if q.URL == path {
			s += 2
		}
		if q.Method == method {
			s++
		}
		if s > score {
			best, score = n, s
		}
	}
	if best < 0 {
		return fmt.Sprintf("none: all %d interactions were used already", len(r.interactions))
	}
	q := r.recorded(best)
	at := fmt.Sprintf("%s: %s %s", r.place(best), q.Method, q.URL)
	if score < 3 {
		return at
	}
	rec := canonical(q.Body)
	if rec == body {
		return at + ", the same body (the matcher refused it)"
	}
	d := 0
	for d < len(rec) && d < len(body) && rec[d] == body[d] {
		d++
	}
	return fmt.Sprintf("%s, whose body differs from byte %d: recorded %q, sent %q", at, d, around(rec, d), around(body, d))
}

func around(s string, at int) string {
	from, to := max(0, at-30), min(len(s), at+50)
	return s[from:to]
}

// place names interaction n as a user finds it: its index in the
// cassette's interactions list, and its line.
func (r *Recorder) place(n int) string {
	if n < len(r.lines) {
		return fmt.Sprintf("interactions[%d] at %s:%d", n, r.file, r.lines[n])
	}
	return fmt.Sprintf("interactions[%d] of %s", n, r.file)
}

func (r *Recorder) matchURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return r.redact.path(u)
}

// response builds the recorded answer; its body is the recorded bytes, so
// a streamed answer is the same Server-Sent Events frames.
func response(req *http.Request, i *cassette.Interaction) *http.Response {
	status := i.Response.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", i.Response.Code, http.StatusText(i.Response.Code))
	}
	return &http.Response{
		Status:        status,
		StatusCode:    i.Response.Code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        i.Response.Headers.Clone(),
		Body:          io.NopCloser(strings.NewReader(i.Response.Body)),
		ContentLength: int64(len(i.Response.Body)),
		Request:       req,
	}
}

// Unused lists the interactions read from the cassette that were never
// used, as "FILE:LINE: interactions[N]: METHOD path".
func (r *Recorder) Unused() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for n := range r.lines {
		if !r.used[n] {
			i := r.interactions[n]
			out = append(out, fmt.Sprintf("%s:%d: interactions[%d]: %s %s", r.file, r.lines[n], n, i.Request.Method, r.matchURL(i.Request.URL)))
		}
	}
	return out
}

// Recorded is how many interactions were recorded in this run.
func (r *Recorder) Recorded() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.interactions) - len(r.lines)
}

// Close ends the recorder. In Record and RecordMissing modes it waits for
// the bodies being read and writes the cassette: the interactions read
// from it, then those recorded, redacted and passed to
// Options.BeforeSave. It writes nothing when nothing was recorded. In
// other modes it does nothing.
func (r *Recorder) Close() error {
	if r.mode != Record && r.mode != RecordMissing {
		return nil
	}
	r.pending.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.interactions) == r.saved {
		return nil
	}
	for n := r.saved; n < len(r.interactions); n++ {
		i := r.interactions[n]
		if err := r.redact.interaction(i); err != nil {
			return fmt.Errorf("redacting interactions[%d] of %s: %w", n, r.file, err)
		}
		if r.beforeSave != nil {
			if err := r.beforeSave(i); err != nil {
				return fmt.Errorf("before saving interactions[%d] of %s: %w", n, r.file, err)
			}
		}
	}
	c := cassette.New(strings.TrimSuffix(r.file, ".yaml"))
	c.Interactions = r.interactions
	data, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", r.file, err)
	}
	var out bytes.Buffer
	if h := strings.TrimSpace(r.header); h != "" {
		for l := range strings.SplitSeq(h, "\n") {
			out.WriteString(strings.TrimSpace("# "+l) + "\n")
		}
	}
	out.WriteString("---\n")
	out.Write(data)
	if err := os.MkdirAll(filepath.Dir(r.file), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", r.file, err)
	}
	if err := writeAtomic(r.file, out.Bytes()); err != nil {
		return err
	}
	r.saved = len(r.interactions)
	return nil
}

func writeAtomic(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".cassette-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("writing %s: %w", file, err)
	}
	return nil
}

func excerpt(s string) string {
	const max = 400
	if len(s) > max {
		return s[:max] + fmt.Sprintf("... (%d bytes)", len(s))
	}
	return s
}
