package vcr

import (
	"net/http"
	"strings"
	"testing"
)

// NewTest returns a recorder for a test, in the mode opts.Mode names or,
// when it is empty, the one the -record flag or GOMCPTEST_VCR says (see
// ModeFromEnv); an unknown mode fails the test at once, as does a
// cassette that cannot be read.
//
// In Replay mode a request the cassette does not hold fails the test
// (tb.Errorf) with the cassette, the request and the nearest recorded
// one, and so do interactions left unused when the test ends. In Record
// and RecordMissing modes the cassette is written when the test ends,
// unless the test failed; in RecordMissing, interactions left unused are
// logged and kept. The recorder is closed when the test ends.
func NewTest(tb testing.TB, file string, opts *Options) *Recorder {
	tb.Helper()
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.Mode == "" {
		m, err := ModeFromEnv()
		if err != nil {
			tb.Fatalf("vcr: %v", err)
		}
		o.Mode = m
	}
	r, err := New(file, &o)
	if err != nil {
		tb.Fatalf("vcr: %v", err)
	}
	r.onMiss = func(err error) { tb.Errorf("vcr: %v", err) }
	tb.Cleanup(func() {
		unused := r.Unused()
		switch {
		case r.mode == Replay && len(unused) > 0:
			tb.Errorf("vcr: interactions never used:\n\t%s", strings.Join(unused, "\n\t"))
		case r.mode == Record || r.mode == RecordMissing:
			if len(unused) > 0 {
				tb.Logf("vcr: interactions never used, kept in the cassette:\n\t%s", strings.Join(unused, "\n\t"))
			}
			if tb.Failed() {
				tb.Logf("vcr: the test failed: %s not written", r.file)
				return
			}
			n := r.Recorded()
			if err := r.Close(); err != nil {
				tb.Errorf("vcr: %v", err)
			} else if n > 0 {
				tb.Logf("vcr: recorded %d interactions in %s", n, r.file)
			}
		}
	})
	return r
}

// HTTPClient returns an HTTP client on NewTest(tb, file, opts): the seam
// for any client of a model service, such as a go-openai client
// (openai.ClientConfig.HTTPClient) or genai (ClientConfig.HTTPClient).
func HTTPClient(tb testing.TB, file string, opts *Options) *http.Client {
	tb.Helper()
	return NewTest(tb, file, opts).Client()
}
