package vcrgoogle_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genai"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/harness/vcr"
	"github.com/owulveryck/gomcptest/harness/vcr/vcrgoogle"
)

const twoTurns = `A plain answer, then a streamed one.

-- 1: plain --
expect text hello
text Hello there.
usage prompt=3 candidates=2
-- 2: streamed --
expect text count
text "1, 2,"
text " 3."
usage prompt=4 candidates=3
`

// The secrets of the recording run: none may reach the cassette.
const (
	token    = "ya29.a0AfH6SMBx-secret-token-value"
	project  = "secret-project-4711"
	location = "europe-west9"
	apiKey   = "AIzaSyA1234567890abcdefghijklmnopqrstu" // AIza + 35
)

// bearer stands in for the credential layer below the recorder, as
// Transport's is.
type bearer struct {
	next http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+token)
	return b.next.RoundTrip(r)
}

// offline fails the test if the replay reaches for the network.
type offline struct{ t *testing.T }

func (o offline) RoundTrip(r *http.Request) (*http.Response, error) {
	o.t.Errorf("replay reached the network: %s %s", r.Method, r.URL)
	return nil, http.ErrHandlerTimeout
}

// talk sends the two requests of twoTurns and returns what the client got.
func talk(t *testing.T, client *genai.Client) []string {
	t.Helper()
	resp, err := client.Models.GenerateContent(t.Context(), "gemini-2.5-flash", genai.Text("Say hello."), nil)
	require.NoError(t, err)
	got := []string{resp.Text()}
	var chunks []string
	for r, err := range client.Models.GenerateContentStream(t.Context(), "gemini-2.5-flash", genai.Text("Now count to three."), nil) {
		require.NoError(t, err)
		chunks = append(chunks, r.Text())
	}
	return append(got, strings.Join(chunks, "|"))
}

// A cassette recorded through NewTestClient, above the credentials, holds
// none of them and replays offline, with no credentials, for another
// project.
func TestRecordThenReplayOffline(t *testing.T) {
	for _, tc := range []struct {
		name   string
		record genai.ClientConfig
		replay genai.ClientConfig
		check  func(t *testing.T, r *http.Request)
	}{{
		name:   "vertex",
		record: genai.ClientConfig{Backend: genai.BackendVertexAI, Project: project, Location: location},
		replay: genai.ClientConfig{Backend: genai.BackendVertexAI},
		check: func(t *testing.T, r *http.Request) {
			assert.Equal(t, "Bearer "+token, r.Header.Get("Authorization"), "the recording run used the credentials")
			assert.Contains(t, r.URL.Path, "/projects/"+project+"/locations/"+location+"/")
		},
	}, {
		name:   "gemini-api",
		record: genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: apiKey},
		replay: genai.ClientConfig{Backend: genai.BackendGeminiAPI},
		check: func(t *testing.T, r *http.Request) {
			assert.Equal(t, apiKey, r.Header.Get("X-Goog-Api-Key"), "the recording run used the key")
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := fakegemini.ParseScenario("two-turns.txtar", []byte(twoTurns))
			require.NoError(t, err)
			script := fakegemini.NewScript(sc)
			var seen atomic.Int32
			fake := fakegemini.New(script, nil)
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen.Add(1)
				tc.check(t, r)
				fake.ServeHTTP(w, r)
			}))
			defer srv.Close()
			file := filepath.Join(t.TempDir(), "two-turns.yaml")

			// Record through TLS, above the credentials; the cassette is
			// written when the subtest ends.
			var live []string
			t.Run("record", func(t *testing.T) {
				cc := tc.record
				cc.HTTPOptions.BaseURL = srv.URL
				client := vcrgoogle.NewTestClient(t, file, &cc, &vcr.Options{
					Mode:      vcr.Record,
					Transport: bearer{srv.Client().Transport},
					Header:    "Recorded by TestRecordThenReplayOffline against fakegemini.",
				})
				live = talk(t, client)
			})
			assert.Equal(t, []string{"Hello there.", "1, 2,| 3."}, live)
			assert.EqualValues(t, 2, seen.Load())
			assert.Empty(t, script.Unused())

			data, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(data), "# Recorded by TestRecordThenReplayOffline against fakegemini.\n---\n"), "header comment:\n%.200s", data)
			for _, secret := range []string{token, "ya29.", project, location, apiKey} {
				assert.NotContains(t, string(data), secret)
			}

			// Replay with the server gone, no way to the network and no
			// project nor key, in the mode GOMCPTEST_VCR names: the same
			// answers.
			srv.Close()
			t.Run("replay", func(t *testing.T) {
				t.Setenv(vcr.EnvVar, "replay")
				cc := tc.replay
				cc.HTTPOptions.BaseURL = "https://nowhere.invalid/"
				client := vcrgoogle.NewTestClient(t, file, &cc, &vcr.Options{Transport: offline{t}})
				assert.Equal(t, live, talk(t, client))
			})
			assert.EqualValues(t, 2, seen.Load())
		})
	}
}
