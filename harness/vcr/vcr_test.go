package vcr_test

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/dnaeon/go-vcr.v2/cassette"

	"github.com/owulveryck/gomcptest/harness/vcr"
)

func init() { vcr.RegisterFlags(flag.CommandLine) }

// echo is a service that answers "PATH BODY" and counts its requests.
func echo(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s %s", r.URL.Path, b)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// send posts body to base+path through c and returns the answer.
func send(t *testing.T, c *http.Client, base, path, body string) (string, error) {
	t.Helper()
	resp, err := c.Post(base+path, "application/json", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func TestRecordMissingGrowsCassette(t *testing.T) {
	srv, hits := echo(t)
	file := filepath.Join(t.TempDir(), "sub", "grow.yaml")

	// A missing cassette is started.
	r, err := vcr.New(file, &vcr.Options{Mode: vcr.RecordMissing, Header: "Grown by a test."})
	require.NoError(t, err)
	got, err := send(t, r.Client(), srv.URL, "/a", `{"n":1}`)
	require.NoError(t, err)
	assert.Equal(t, `/a {"n":1}`, got)
	require.NoError(t, r.Close())
	first, err := os.ReadFile(file)
	require.NoError(t, err)

	// What the cassette holds is replayed, what it lacks is recorded, and
	// the header stays.
	r, err = vcr.New(file, &vcr.Options{Mode: vcr.RecordMissing})
	require.NoError(t, err)
	got, err = send(t, r.Client(), srv.URL, "/a", `{ "n": 1 }`)
	require.NoError(t, err)
	assert.Equal(t, `/a {"n":1}`, got, "replayed: the recorded body")
	assert.EqualValues(t, 1, hits.Load(), "replayed, not sent")
	got, err = send(t, r.Client(), srv.URL, "/b", `{"n":2}`)
	require.NoError(t, err)
	assert.Equal(t, `/b {"n":2}`, got)
	assert.EqualValues(t, 2, hits.Load(), "recorded")
	assert.Equal(t, 1, r.Recorded())
	require.NoError(t, r.Close())
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "# Grown by a test.\n---\n"), "header kept:\n%.100s", data)

	// Nothing new: the file is left as it is.
	r, err = vcr.New(file, &vcr.Options{Mode: vcr.RecordMissing})
	require.NoError(t, err)
	_, err = send(t, r.Client(), srv.URL, "/b", `{"n":2}`)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	again, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again))
	assert.NotEqual(t, string(first), string(data))

	// The grown cassette replays both, in any order, with the service gone.
	srv.Close()
	r, err = vcr.New(file, nil)
	require.NoError(t, err)
	for _, p := range []string{"/b", "/a"} {
		_, err := send(t, r.Client(), "http://127.0.0.1:1", p, fmt.Sprintf(`{"n":%d}`, map[string]int{"/a": 1, "/b": 2}[p]))
		require.NoError(t, err)
	}
	assert.Empty(t, r.Unused())
}

// The matcher sees both requests as the cassette holds them: redacted,
// the URL reduced to path and query.
func TestMatcherSeesRedactedRequests(t *testing.T) {
	srv, _ := echo(t)
	file := filepath.Join(t.TempDir(), "m.yaml")
	rec, err := vcr.New(file, &vcr.Options{Mode: vcr.Record})
	require.NoError(t, err)
	_, err = send(t, rec.Client(), srv.URL, "/v1/projects/p1/locations/l1/m?key=AIzaSyA1234567890abcdefghijklmnopqrstu", `{"id":"a1","q":"hi"}`)
	require.NoError(t, err)
	require.NoError(t, rec.Close())

	var mu sync.Mutex
	var seen [][2]cassette.Request
	play, err := vcr.New(file, &vcr.Options{Matcher: func(sent, recorded cassette.Request) bool {
		mu.Lock()
		seen = append(seen, [2]cassette.Request{sent, recorded})
		mu.Unlock()
		return sent.Method == recorded.Method && sent.URL == recorded.URL // bodies may differ
	}})
	require.NoError(t, err)
	got, err := send(t, play.Client(), "https://elsewhere.invalid", "/v1/projects/p2/locations/l2/m?key=other", `{"id":"b2","q":"hi"}`)
	require.NoError(t, err)
	assert.Equal(t, `/v1/projects/PROJECT/locations/LOCATION/m {"id":"a1","q":"hi"}`, got, "the recorded answer, redacted")
	require.Len(t, seen, 1)
	const want = "/v1/projects/PROJECT/locations/LOCATION/m?key=REDACTED"
	assert.Equal(t, want, seen[0][0].URL)
	assert.Equal(t, want, seen[0][1].URL)
	assert.Equal(t, `{"id":"b2","q":"hi"}`, seen[0][0].Body)
	assert.True(t, vcr.DefaultMatcher(seen[0][0], seen[0][0]))
	assert.False(t, vcr.DefaultMatcher(seen[0][0], seen[0][1]), "the bodies differ")
}

func TestBeforeSave(t *testing.T) {
	srv, _ := echo(t)
	file := filepath.Join(t.TempDir(), "b.yaml")
	var calls int
	rec, err := vcr.New(file, &vcr.Options{Mode: vcr.Record, BeforeSave: func(i *cassette.Interaction) error {
		calls++
		i.Request.Body = strings.ReplaceAll(i.Request.Body, "alice", "USER")
		i.Response.Body = strings.ReplaceAll(i.Response.Body, "alice", "USER")
		i.Response.Headers.Del("Content-Type")
		return nil
	}})
	require.NoError(t, err)
	_, err = send(t, rec.Client(), srv.URL, "/hello", `{"name":"alice"}`)
	require.NoError(t, err)
	require.NoError(t, rec.Close())
	assert.Equal(t, 1, calls)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "alice")
	assert.NotContains(t, string(data), "text/plain")
	assert.Contains(t, string(data), `{"name":"USER"}`)

	// An error stops the write and names the interaction.
	file2 := filepath.Join(t.TempDir(), "b2.yaml")
	rec, err = vcr.New(file2, &vcr.Options{Mode: vcr.Record, BeforeSave: func(*cassette.Interaction) error { return errors.New("too big") }})
	require.NoError(t, err)
	_, err = send(t, rec.Client(), srv.URL, "/hello", `{}`)
	require.NoError(t, err)
	assert.EqualError(t, rec.Close(), "before saving interactions[0] of "+file2+": too big")
	assert.NoFileExists(t, file2)
}

func TestNewTestMode(t *testing.T) {
	file := write(t, handWritten)
	t.Run("env", func(t *testing.T) {
		t.Setenv(vcr.EnvVar, "record-missing")
		assert.Equal(t, vcr.RecordMissing, vcr.NewTest(t, file, nil).Mode())
	})
	t.Run("explicit mode wins", func(t *testing.T) {
		t.Setenv(vcr.EnvVar, "off")
		r := vcr.NewTest(t, file, &vcr.Options{Mode: vcr.Replay})
		assert.Equal(t, vcr.Replay, r.Mode())
		for _, body := range []string{`{"q":"same"}`, `{"q":"same"}`, `{"q":"other"}`} {
			_, err := post(t, r.Client(), body)
			require.NoError(t, err)
		}
	})
	t.Run("flag wins over env", func(t *testing.T) {
		t.Setenv(vcr.EnvVar, "off")
		f := flag.CommandLine.Lookup(vcr.FlagName)
		require.NoError(t, f.Value.Set("true"))
		t.Cleanup(func() { f.Value.Set("false") })
		assert.Equal(t, vcr.Record, vcr.NewTest(t, filepath.Join(t.TempDir(), "new.yaml"), nil).Mode())
	})
	t.Run("unknown", func(t *testing.T) {
		t.Setenv(vcr.EnvVar, "live")
		ft := runTB(t, func(tb testing.TB) { vcr.NewTest(tb, file, nil) })
		assert.Equal(t, []string{`vcr: GOMCPTEST_VCR: mode "live": use replay, record, record-missing or off`}, ft.errors)
	})
}

func TestRegisterFlagsKeepsTheTestsOwn(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	own := fs.Bool("record", false, "the test's own")
	vcr.RegisterFlags(fs)
	vcr.RegisterFlags(fs)
	require.NoError(t, fs.Parse([]string{"-record"}))
	assert.True(t, *own)
}

func TestNewTestReplayFailsOnMissAndUnused(t *testing.T) {
	file := write(t, handWritten)
	ft := runTB(t, func(tb testing.TB) {
		c := vcr.HTTPClient(tb, file, &vcr.Options{Mode: vcr.Replay})
		_, err := post(t, c, `{"q":"other"}`)
		require.NoError(t, err)
		_, err = post(t, c, `{"q":"nope"}`)
		require.ErrorIs(t, err, vcr.ErrNoInteraction)
	})
	require.Len(t, ft.errors, 2)
	assert.Contains(t, ft.errors[0], "vcr: cassette "+file+": no unused interaction matches")
	assert.Equal(t, "vcr: interactions never used:\n\t"+
		file+":5: interactions[0]: POST /v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent\n\t"+
		file+":13: interactions[1]: POST /v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent", ft.errors[1])
}

func TestNewTestRecordWritesOnlyWhenPassed(t *testing.T) {
	srv, _ := echo(t)
	for _, fail := range []bool{false, true} {
		file := filepath.Join(t.TempDir(), "r.yaml")
		ft := runTB(t, func(tb testing.TB) {
			c := vcr.HTTPClient(tb, file, &vcr.Options{Mode: vcr.Record})
			_, err := send(t, c, srv.URL, "/x", "")
			require.NoError(t, err)
			if fail {
				tb.Errorf("the test fails")
			}
		})
		if fail {
			assert.NoFileExists(t, file)
			assert.Contains(t, ft.logs, "vcr: the test failed: "+file+" not written")
		} else {
			assert.FileExists(t, file)
			assert.Equal(t, []string{"vcr: recorded 1 interactions in " + file}, ft.logs)
		}
	}
}

// fakeTB is a test inside a test: it keeps what it reports instead of
// failing the enclosing test.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	errors   []string
	logs     []string
	cleanups []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.errors) > 0
}

func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// runTB runs body as a test of its own, then its cleanups.
func runTB(t *testing.T, body func(testing.TB)) *fakeTB {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		body(f)
	}()
	<-done
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	return f
}
