package app

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigToolEnv(t *testing.T) {
	cfg, err := parse(t, map[string]string{"TOOL_ENV": "HTTPS_PROXY, NO_PROXY"})
	require.NoError(t, err)
	assert.Equal(t, []string{"HTTPS_PROXY", "NO_PROXY"}, cfg.toolEnv)

	cfg, err = parse(t, map[string]string{"TOOL_ENV": "HTTPS_PROXY"}, "-tool-env", "GCP_PROJECT,GCP_REGION")
	require.NoError(t, err)
	assert.Equal(t, []string{"GCP_PROJECT", "GCP_REGION"}, cfg.toolEnv, "the flag wins over TOOL_ENV")

	var out strings.Builder
	parseConfig([]string{"-help"}, func(string) string { return "" }, &out)
	for _, want := range []string{"-tool-env", "TOOL_ENV", "  PATH HOME USER", "LC_*", `"GEMINI_API_KEY bin/imagen;bin/Bash"`} {
		assert.Contains(t, out.String(), want)
	}
}
