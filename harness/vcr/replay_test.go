package vcr_test

import (
	"io"
	"io/fs"
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

const handWritten = `# A hand-written cassette.
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
	return send(t, c, "https://us-east5-aiplatform.googleapis.com", "/v1beta1/projects/mine/locations/us-east5/m:generateContent", body)
}

func TestReplayOnceInOrder(t *testing.T) {
	r, err := vcr.New(write(t, handWritten), nil)
	require.NoError(t, err)
	c := r.Client()
	for _, want := range []string{"first", "second"} {
		got, err := post(t, c, `{"q":"same"}`) // spacing differs from the cassette
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err = post(t, c, `{"q":"same"}`)
	assert.ErrorIs(t, err, vcr.ErrNoInteraction, "each interaction answers once")
	assert.Equal(t, []string{r.File() + ":20: interactions[2]: POST /v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent"}, r.Unused())

	got, err := post(t, c, `{"q":"other"}`)
	require.NoError(t, err)
	assert.Equal(t, "data: {\"a\":1}\r\n\r\ndata: {\"a\":2}\r\n\r\n", got, "the same SSE frames")
	assert.Empty(t, r.Unused())
}

func TestReplayMissNamesCassetteRequestAndNearest(t *testing.T) {
	const path = "/v1beta1/projects/PROJECT/locations/LOCATION/m:generateContent"
	r, err := vcr.New(write(t, handWritten), nil)
	require.NoError(t, err)
	_, err = post(t, r.Client(), `{"q":"unknown"}`)
	require.ErrorIs(t, err, vcr.ErrNoInteraction)
	assert.Equal(t, "Post \"https://us-east5-aiplatform.googleapis.com/v1beta1/projects/mine/locations/us-east5/m:generateContent\": "+
		"cassette "+r.File()+": no unused interaction matches\n"+
		"\trequest: POST "+path+"\n"+
		"\tbody: {\"q\":\"unknown\"}\n"+
		"\tnearest: interactions[0] at "+r.File()+":5: POST "+path+`, whose body differs from byte 6: recorded "{\"q\":\"same\"}", sent "{\"q\":\"unknown\"}"`,
		err.Error())

	// Another path: the nearest is named without a body diff.
	resp, err := r.Client().Get("https://example.invalid/v1/other")
	if err == nil {
		resp.Body.Close()
	}
	assert.ErrorContains(t, err, "request: GET /v1/other\n")
	assert.ErrorContains(t, err, "nearest: interactions[0] at "+r.File()+":5: POST "+path)

	// All used: the nearest says so.
	for _, body := range []string{`{"q":"same"}`, `{"q":"same"}`, `{"q":"other"}`} {
		_, err := post(t, r.Client(), body)
		require.NoError(t, err)
	}
	_, err = post(t, r.Client(), `{"q":"same"}`)
	assert.ErrorContains(t, err, "nearest: none: all 3 interactions were used already")
}

func TestReplayMissingCassette(t *testing.T) {
	file := filepath.Join(t.TempDir(), "none.yaml")
	_, err := vcr.New(file, nil)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.ErrorContains(t, err, "no cassette "+file+" (record it in Record mode, which NewTest takes from GOMCPTEST_VCR=record or -record)")
}

func TestHandlerServesCassette(t *testing.T) {
	r, err := vcr.New(write(t, handWritten), nil)
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
