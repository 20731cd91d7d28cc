package vcr

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"

	"gopkg.in/dnaeon/go-vcr.v2/cassette"
)

// record sends req, whose body was read as body, on and records the
// exchange. The answer streams to the caller as it arrives (a streamed
// answer stays streamed); the body is kept as it passes and the
// interaction is complete when the caller has read it to the end or
// closed it.
func (r *Recorder) record(req *http.Request, body string) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.Body = io.NopCloser(strings.NewReader(body))
	out.ContentLength = int64(len(body))
	if body == "" {
		out.Body = http.NoBody
	}
	// Taken before sending: what the caller sent, not what the credential
	// layer below added.
	i := &cassette.Interaction{Request: cassette.Request{
		Method:  req.Method,
		URL:     req.URL.String(),
		Headers: req.Header.Clone(),
		Body:    body,
	}}
	r.mu.Lock()
	r.interactions = append(r.interactions, i) // in the order sent
	r.used = append(r.used, true)              // answers nothing else
	r.mu.Unlock()

	resp, err := r.next.RoundTrip(out)
	if err != nil {
		r.drop(i)
		return nil, err
	}
	i.Response = cassette.Response{Status: resp.Status, Code: resp.StatusCode, Headers: resp.Header.Clone()}
	r.pending.Add(1)
	resp.Body = &tee{ReadCloser: resp.Body, done: func(b []byte) {
		r.mu.Lock()
		i.Response.Body = string(b)
		r.mu.Unlock()
		r.pending.Done()
	}}
	r.logger.Debug("recording", "cassette", r.file, "method", req.Method, "url", r.redact.url(req.URL), "status", resp.StatusCode)
	return resp, nil
}

// drop forgets an exchange that got no answer: there is nothing to replay.
func (r *Recorder) drop(i *cassette.Interaction) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for n := r.saved; n < len(r.interactions); n++ {
		if r.interactions[n] == i {
			r.interactions = append(r.interactions[:n], r.interactions[n+1:]...)
			r.used = append(r.used[:n], r.used[n+1:]...)
			return
		}
	}
}

// tee keeps what is read through it and reports it once, at the end of
// the body or when it is closed.
type tee struct {
	io.ReadCloser
	buf  bytes.Buffer
	once sync.Once
	done func([]byte)
}

func (t *tee) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	t.buf.Write(p[:n])
	if err == io.EOF {
		t.finish()
	}
	return n, err
}

func (t *tee) Close() error {
	// A caller that stops early still leaves a complete answer: read the
	// rest, so the cassette replays what the service sent.
	_, _ = io.Copy(&t.buf, t.ReadCloser)
	err := t.ReadCloser.Close()
	t.finish()
	return err
}

func (t *tee) finish() { t.once.Do(func() { t.done(t.buf.Bytes()) }) }
