package vcr

import (
	"net/http"
	"strings"
	"testing"
)

// NewTest returns a recorder for a test. In Replay mode a request the
// cassette does not hold fails the test (tb.Errorf) with the cassette and
// the request, and so do interactions left unused when the test ends. In
// Record mode the cassette is written when the test ends, unless the test
// failed. A cassette that cannot be read fails the test at once.
func NewTest(tb testing.TB, file string, opts *Options) *Recorder {
	tb.Helper()
	r, err := New(file, opts)
	if err != nil {
		tb.Fatalf("vcr: %v", err)
	}
	r.onMiss = func(err error) { tb.Errorf("vcr: %v", err) }
	tb.Cleanup(func() {
		switch {
		case r.mode == Replay:
			if unused := r.Unused(); len(unused) > 0 {
				tb.Errorf("vcr: interactions never used:\n\t%s", strings.Join(unused, "\n\t"))
			}
		case r.mode == Record && tb.Failed():
			tb.Logf("vcr: the test failed: %s not written", r.file)
		default:
			if err := r.Close(); err != nil {
				tb.Errorf("vcr: %v", err)
			} else if r.mode == Record {
				tb.Logf("vcr: recorded %s", r.file)
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
