package vcr_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/harness/vcr"
)

const cassette = `# A hand-written cassette.
---
version: 1
interactions:
    - request:
        body: '{"q": "same"}'
        url: https://LOCATION-aiplatform.googleapis.com/v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent
        method: POST
      response:
        body: first
        headers: {Content-Type: [text/plain]}
        code: 200
    - request:
        body: '{"q": "same"}'
        url: https://LOCATION-aiplatform.googleapis.com/v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent
        method: POST
      response:
        body: second
        code: 200
    - request:
        body: '{"q": "other"}'
        url: https://LOCATION-aiplatform.googleapis.com/v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent
        method: POST
      response:
        body: "data: {\"a\":1}\r\n\r\ndata: {\"a\":2}\r\n\r\n"
        headers: {Content-Type: [text/event-stream]}
        code: 200
`

func write(t *testing.T, data string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "c.yaml")
	require.NoError(t, os.WriteFile(file, []byte(data), 0o644))
	return file
}

// post sends body to the cassette's path under another project, location
// and host, as a tester elsewhere would.
func post(t *testing.T, c *http.Client, body string) (string, error) {
	t.Helper()
	resp, err := c.Post("https://us-east5-aiplatform.googleapis.com/v1beta1/projects/mine/locations/us-east5/m:generateContent",
		"application/json", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func TestReplayOnceInOrder(t *testing.T) {
	r, err := vcr.New(write(t, cassette), nil)
	require.NoError(t, err)
	c := r.Client()
	for _, want := range []string{"first", "second"} {
		got, err := post(t, c, `{"q":"same"}`) // spacing differs from the cassette
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err = post(t, c, `{"q":"same"}`)
	assert.ErrorIs(t, err, vcr.ErrNoInteraction, "each interaction answers once")
	assert.Equal(t, []string{r.File() + ":20: POST /v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent"}, r.Unused())

	got, err := post(t, c, `{"q":"other"}`)
	require.NoError(t, err)
	assert.Equal(t, "data: {\"a\":1}\r\n\r\ndata: {\"a\":2}\r\n\r\n", got, "the same SSE frames")
	assert.Empty(t, r.Unused())
}

func TestReplayMissNamesCassetteAndRequest(t *testing.T) {
	r, err := vcr.New(write(t, cassette), nil)
	require.NoError(t, err)
	_, err = post(t, r.Client(), `{"q":"unknown"}`)
	require.ErrorIs(t, err, vcr.ErrNoInteraction)
	for _, want := range []string{
		"cassette " + r.File() + ": no unused interaction matches",
		"nearest, " + r.File() + ":5, differs from byte 6",
		"request: POST /v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent",
		`body: {"q":"unknown"}`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestReplayMissingCassette(t *testing.T) {
	_, err := vcr.New(filepath.Join(t.TempDir(), "none.yaml"), nil)
	assert.ErrorContains(t, err, "none.yaml")
	assert.ErrorContains(t, err, "recordings/README.md")
}

func TestHandlerServesCassette(t *testing.T) {
	r, err := vcr.New(write(t, cassette), nil)
	require.NoError(t, err)
	var misses []error
	srv := httptest.NewServer(vcr.Handler(r, func(err error) { misses = append(misses, err) }))
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/v1beta1/projects/p/locations/l/m:generateContent", "application/json", strings.NewReader(`{"q":"other"}`))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	assert.Equal(t, "data: {\"a\":1}\r\n\r\ndata: {\"a\":2}\r\n\r\n", string(b))

	resp, err = http.Post(srv.URL+"/v1beta1/projects/p/locations/l/m:generateContent", "application/json", strings.NewReader(`{"q":"nope"}`))
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Contains(t, string(b), "no unused interaction matches")
	assert.Len(t, misses, 1)
}

func TestModeFromEnv(t *testing.T) {
	env := func(v string) func(string) string { return func(string) string { return v } }
	for _, tc := range []struct {
		flag bool
		env  string
		want vcr.Mode
	}{
		{false, "", vcr.Replay},
		{false, "record", vcr.Record},
		{false, " OFF ", vcr.Off},
		{true, "off", vcr.Record},
	} {
		m, err := vcr.ModeFromEnv(tc.flag, env(tc.env))
		require.NoError(t, err)
		assert.Equal(t, tc.want, m, "%v %q", tc.flag, tc.env)
	}
	_, err := vcr.ModeFromEnv(false, env("live"))
	assert.ErrorContains(t, err, "GOMCPTEST_VCR")
}
