package vcr

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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

// ErrNoInteraction is returned (wrapped, with the cassette and the
// request) in Replay mode for a request the cassette has no unused
// interaction for.
var ErrNoInteraction = errors.New("no unused interaction matches")

// Options configure a Recorder. The zero value replays.
type Options struct {
	// Mode is Replay when empty.
	Mode Mode
	// Transport reaches the real service in Record and Off modes; it is
	// the one that adds credentials, so they are never seen above it and
	// never reach the cassette. Nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Header is written as a comment at the top of a recorded cassette:
	// what was recorded, against what, and how to record it again.
	Header string
	// Secrets maps values of the recording run (project id, location, API
	// key) to the placeholders written instead, on top of the built-in
	// redaction (see the package documentation).
	Secrets map[string]string
	// Logger gets a line per request; nil discards.
	Logger *slog.Logger
}

// A Recorder is an http.RoundTripper that replays a cassette, records
// one, or passes requests through, as its Mode says. It is safe for
// concurrent use.
type Recorder struct {
	file   string
	mode   Mode
	next   http.RoundTripper
	header string
	redact *redactor
	logger *slog.Logger
	onMiss func(error) // set by NewTest

	mu           sync.Mutex
	interactions []*cassette.Interaction
	lines        []int  // line of each interaction in the file (Replay)
	used         []bool // Replay
	pending      sync.WaitGroup
}

// New returns a recorder for the cassette file (a go-vcr v2 YAML file).
// In Replay mode it reads the file now; in Record mode Close writes it.
func New(file string, opts *Options) (*Recorder, error) {
	if opts == nil {
		opts = &Options{}
	}
	r := &Recorder{
		file:   file,
		mode:   opts.Mode,
		next:   opts.Transport,
		header: opts.Header,
		redact: newRedactor(opts.Secrets),
		logger: opts.Logger,
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
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.mode == Replay {
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
	if err != nil {
		return fmt.Errorf("reading cassette: %w (record it: see recordings/README.md)", err)
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
	return nil
}

// RoundTrip answers req from the cassette (Replay), or sends it on and
// records the exchange (Record), or only sends it on (Off).
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	switch r.mode {
	case Off:
		return r.next.RoundTrip(req)
	case Record:
		return r.record(req)
	}
	return r.replay(req)
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

func (r *Recorder) replay(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	path, want := r.redact.path(req.URL), r.redact.body(body)
	i, err := r.take(req.Method, path, want)
	if err != nil {
		err = fmt.Errorf("cassette %s: %w\n\trequest: %s %s\n\tbody: %s", r.file, err, req.Method, path, excerpt(want))
		if r.onMiss != nil {
			r.onMiss(err)
		}
		return nil, err
	}
	r.logger.Debug("replayed", "cassette", r.file, "method", req.Method, "path", path, "status", i.Response.Code)
	return response(req, i), nil
}

// take marks and returns the first unused interaction that matches.
func (r *Recorder) take(method, path, body string) (*cassette.Interaction, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for n, i := range r.interactions {
		if r.used[n] || i.Request.Method != method {
			continue
		}
		if r.matchURL(i.Request.URL) != path || r.redact.body(i.Request.Body) != body {
			continue
		}
		r.used[n] = true
		return i, nil
	}
	return nil, r.nearest(method, path, body)
}

// nearest says how the request differs from the first unused interaction
// with the same method and path, the one most likely meant.
func (r *Recorder) nearest(method, path, body string) error {
	for n, i := range r.interactions {
		if r.used[n] || i.Request.Method != method || r.matchURL(i.Request.URL) != path {
			continue
		}
		rec := r.redact.body(i.Request.Body)
		at := 0
		for at < len(rec) && at < len(body) && rec[at] == body[at] {
			at++
		}
		return fmt.Errorf("%w (nearest, %s:%d, differs from byte %d: recorded %q, sent %q)",
			ErrNoInteraction, r.file, r.line(n), at, around(rec, at), around(body, at))
	}
	return ErrNoInteraction
}

func around(s string, at int) string {
	from, to := max(0, at-30), min(len(s), at+50)
	return s[from:to]
}

func (r *Recorder) line(n int) int {
	if n < len(r.lines) {
		return r.lines[n]
	}
	return 0
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

// Unused lists the interactions a replay never used, as "file:line:
// METHOD path".
func (r *Recorder) Unused() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for n, i := range r.interactions {
		if !r.used[n] {
			out = append(out, fmt.Sprintf("%s:%d: %s %s", r.file, r.line(n), i.Request.Method, r.matchURL(i.Request.URL)))
		}
	}
	return out
}

// Close ends the recorder. In Record mode it waits for the bodies being
// read and writes the cassette, redacted; it writes nothing when nothing
// was recorded. In other modes it does nothing.
func (r *Recorder) Close() error {
	if r.mode != Record {
		return nil
	}
	r.pending.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.interactions) == 0 {
		return nil
	}
	c := cassette.New(strings.TrimSuffix(r.file, ".yaml"))
	for _, i := range r.interactions {
		if err := r.redact.interaction(i); err != nil {
			return fmt.Errorf("redacting %s: %w", r.file, err)
		}
	}
	c.Interactions = r.interactions
	data, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", r.file, err)
	}
	var out bytes.Buffer
	for l := range strings.SplitSeq(strings.TrimSpace(r.header), "\n") {
		out.WriteString(strings.TrimSpace("# "+l) + "\n")
	}
	out.WriteString("---\n")
	out.Write(data)
	if err := os.MkdirAll(filepath.Dir(r.file), 0o755); err != nil {
		return err
	}
	return writeAtomic(r.file, out.Bytes())
}

func writeAtomic(file string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".cassette-*")
	if err != nil {
		return err
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
		return err
	}
	return os.Rename(tmp.Name(), file)
}

func excerpt(s string) string {
	const max = 400
	if len(s) > max {
		return s[:max] + fmt.Sprintf("... (%d bytes)", len(s))
	}
	return s
}
