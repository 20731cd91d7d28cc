package app

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, env map[string]string, args ...string) (config, error) {
	t.Helper()
	return parseConfig(args, func(k string) string { return env[k] }, io.Discard)
}

func TestConfigDefaults(t *testing.T) {
	cfg, err := parse(t, nil)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", cfg.host)
	assert.Equal(t, 8080, cfg.port)
	assert.Equal(t, []string{"gemini-2.5-flash", "gemini-2.5-pro"}, cfg.backend.Models)
	assert.Equal(t, "us-central1", cfg.backend.Location)
	assert.Equal(t, 25, cfg.maxSteps)
	assert.Equal(t, int64(32<<20), cfg.maxBody)
	assert.Equal(t, 15*time.Minute, cfg.toolTimeout)
	assert.Equal(t, slog.LevelInfo, cfg.logLevel)
	assert.Empty(t, cfg.backend.Project+cfg.backend.APIKey, "no backend: the offline model")
}

func TestConfigEnvironment(t *testing.T) {
	cfg, err := parse(t, map[string]string{
		"GOOGLE_CLOUD_PROJECT":     "legacy",
		"GOOGLE_CLOUD_LOCATION":    "europe-west1",
		"GEMINI_MODELS":            "gemini-3-pro, gemini-2.5-flash",
		"PORT":                     "9090",
		"LOG_LEVEL":                "debug",
		"VERTEX_AI_GOOGLE_SEARCH":  "true",
		"VERTEX_AI_CODE_EXECUTION": "1",
		"CORS_ORIGINS":             "https://a.example,https://b.example",
	}, "-withAllEvents", "-mcpservers", "bin/sleep")
	require.NoError(t, err)
	assert.Equal(t, "legacy", cfg.backend.Project)
	assert.Equal(t, "europe-west1", cfg.backend.Location)
	assert.Equal(t, []string{"gemini-3-pro", "gemini-2.5-flash"}, cfg.backend.Models)
	assert.Equal(t, 9090, cfg.port)
	assert.Equal(t, slog.LevelDebug, cfg.logLevel)
	assert.Equal(t, []string{"code_execution", "google_search"}, cfg.builtins)
	assert.Equal(t, []string{"https://a.example", "https://b.example"}, cfg.corsOrigins)
	assert.True(t, cfg.withAllEvents)
	assert.Equal(t, "bin/sleep", cfg.mcpServers)

	cfg, err = parse(t, map[string]string{"GCP_PROJECT": "new", "GOOGLE_CLOUD_PROJECT": "legacy", "PORT": "9090"}, "-port", "7000")
	require.NoError(t, err)
	assert.Equal(t, "new", cfg.backend.Project, "GCP_PROJECT wins over the legacy name")
	assert.Equal(t, 7000, cfg.port, "the flag wins over PORT")
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"PORT": "http"}, nil, `PORT="http" is not a port number`},
		{map[string]string{"LOG_LEVEL": "LOUD"}, nil, "LOG_LEVEL"},
		{map[string]string{"LOG_FORMAT": "xml"}, nil, "use text or json"},
		{map[string]string{"MODEL_BASE_URL": "http://127.0.0.1:1"}, nil, "MODEL_BASE_URL needs GCP_PROJECT"},
		{nil, []string{"-max-steps", "0"}, "-max-steps must be at least 1"},
		{nil, []string{"extra"}, "unexpected arguments"},
		{nil, []string{"-nope"}, "flag provided but not defined"},
	} {
		_, err := parse(t, tc.env, tc.args...)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestConfigHelpTeaches(t *testing.T) {
	var out strings.Builder
	_, err := parseConfig([]string{"-help"}, func(string) string { return "" }, &out)
	assert.True(t, errors.Is(err, flag.ErrHelp))
	for _, want := range []string{"GCP_PROJECT", "GEMINI_API_KEY", "offline model", "-mcpservers", "X-Tool-Events", "Example:"} {
		assert.Contains(t, out.String(), want)
	}
}
