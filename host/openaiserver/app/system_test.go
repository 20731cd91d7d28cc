package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/toolbox"
)

func TestDefaultSystemInstruction(t *testing.T) {
	cfg, err := parse(t, nil)
	require.NoError(t, err)
	specs, err := toolbox.ParseSpec("bin/LS -root /srv/data;bin/View --root=/srv/docs;bin/Bash -root /srv/data")
	require.NoError(t, err)
	f, err := systemInstruction(cfg, specs)
	require.NoError(t, err)
	wd, _ := os.Getwd()
	text := f(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	assert.Contains(t, text, "Working directory: "+wd+"\n")
	assert.Contains(t, text, "The file tools are confined to: /srv/data, /srv/docs\n")
	assert.Contains(t, text, "Date: Tuesday 1 December 2026")
	assert.Contains(t, text, wd+"/README.md")
}

func TestSystemInstructionReplacedOrOff(t *testing.T) {
	file := filepath.Join(t.TempDir(), "prompt.md")
	require.NoError(t, os.WriteFile(file, []byte("You review Go code.\n"), 0o644))
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"environment", map[string]string{"SYSTEM_INSTRUCTION": "You are a Go expert."}, nil, "You are a Go expert."},
		{"file wins", map[string]string{"SYSTEM_INSTRUCTION": "You are a Go expert."}, []string{"-system-prompt", file}, "You review Go code."},
		{"off", map[string]string{"SYSTEM_INSTRUCTION": "You are a Go expert."}, []string{"-system-prompt", ""}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parse(t, tc.env, tc.args...)
			require.NoError(t, err)
			f, err := systemInstruction(cfg, nil)
			require.NoError(t, err)
			if tc.want == "" {
				assert.Nil(t, f)
				return
			}
			assert.Equal(t, tc.want, strings.TrimSpace(f(time.Now())))
		})
	}
	_, err := parse(t, nil, "-system-prompt", filepath.Join(t.TempDir(), "missing.md"))
	assert.ErrorContains(t, err, "missing.md")
}
