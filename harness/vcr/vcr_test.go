package vcr_test

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
// GoogleTransport's is.
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
func talk(t *testing.T, cc *genai.ClientConfig) []string {
	t.Helper()
	client, err := genai.NewClient(t.Context(), cc)
	require.NoError(t, err)
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

func TestRecordThenReplayOffline(t *testing.T) {
	for _, tc := range []struct {
		name    string
		backend func(base string, hc *http.Client) *genai.ClientConfig
		secrets map[string]string
		check   func(t *testing.T, r *http.Request)
	}{{
		name: "vertex",
		backend: func(base string, hc *http.Client) *genai.ClientConfig {
			return &genai.ClientConfig{Backend: genai.BackendVertexAI, Project: project, Location: location,
				HTTPOptions: genai.HTTPOptions{BaseURL: base}, HTTPClient: hc}
		},
		secrets: map[string]string{project: vcr.Project, location: vcr.Location},
		check: func(t *testing.T, r *http.Request) {
			assert.Equal(t, "Bearer "+token, r.Header.Get("Authorization"), "the recording run used the credentials")
			assert.Contains(t, r.URL.Path, "/projects/"+project+"/locations/"+location+"/")
		},
	}, {
		name: "gemini-api",
		backend: func(base string, hc *http.Client) *genai.ClientConfig {
			return &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: apiKey,
				HTTPOptions: genai.HTTPOptions{BaseURL: base}, HTTPClient: hc}
		},
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

			// Record through TLS, above the credentials.
			file := filepath.Join(t.TempDir(), "two-turns.yaml")
			rec, err := vcr.New(file, &vcr.Options{
				Mode:      vcr.Record,
				Transport: bearer{srv.Client().Transport},
				Header:    "Recorded by TestRecordThenReplayOffline against fakegemini.",
				Secrets:   tc.secrets,
			})
			require.NoError(t, err)
			live := talk(t, tc.backend(srv.URL, rec.Client()))
			require.NoError(t, rec.Close())
			assert.Equal(t, []string{"Hello there.", "1, 2,| 3."}, live)
			assert.EqualValues(t, 2, seen.Load())
			assert.Empty(t, script.Unused())

			data, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(data), "# Recorded by TestRecordThenReplayOffline against fakegemini.\n---\n"), "header comment:\n%.200s", data)
			for _, secret := range []string{token, "ya29.", project, location, apiKey} {
				assert.NotContains(t, string(data), secret)
			}

			// Replay with the server gone and no way to the network, from
			// another project: the same answers.
			srv.Close()
			play, err := vcr.New(file, &vcr.Options{Transport: offline{t}})
			require.NoError(t, err)
			cc := tc.backend("https://nowhere.invalid/", play.Client())
			if cc.Backend == genai.BackendVertexAI {
				cc.Project, cc.Location = "another-project", "us-east5"
			}
			assert.Equal(t, live, talk(t, cc))
			assert.Empty(t, play.Unused())
			assert.EqualValues(t, 2, seen.Load())
		})
	}
}
