package backend_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/llm"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		kind backend.Kind
	}{
		{nil, backend.Offline},
		{map[string]string{"GEMINI_API_KEY": "k"}, backend.GeminiAPI},
		{map[string]string{"GOOGLE_API_KEY": "k"}, backend.GeminiAPI},
		{map[string]string{"GCP_PROJECT": "p", "GEMINI_API_KEY": "k"}, backend.Vertex},
		{map[string]string{"GOOGLE_CLOUD_PROJECT": "p"}, backend.Vertex},
	} {
		c, err := backend.FromEnv(env(tc.env))
		require.NoError(t, err)
		assert.Equal(t, tc.kind, c.Kind(), "%v", tc.env)
	}
	c, err := backend.FromEnv(env(map[string]string{"GCP_PROJECT": "p", "GEMINI_MODELS": " a, b ,"}))
	require.NoError(t, err)
	assert.Equal(t, "us-central1", c.Location)
	assert.Equal(t, []string{"a", "b"}, c.Models)

	_, err = backend.FromEnv(env(map[string]string{"MODEL_BASE_URL": "http://127.0.0.1:1"}))
	assert.ErrorContains(t, err, "MODEL_BASE_URL needs GCP_PROJECT")
}

func TestOfflineProvider(t *testing.T) {
	c, err := backend.FromEnv(env(nil))
	require.NoError(t, err)
	p, err := backend.Provider(t.Context(), c, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	assert.Equal(t, backend.OfflineOwner, p.Models()[0].OwnedBy)
	var text string
	for d, err := range p.Stream(t.Context(), &llm.Request{Model: "gemini-2.5-flash", Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: "hello"}}}}}) {
		require.NoError(t, err)
		text += d.Text
	}
	assert.Contains(t, text, "offline model")
}
