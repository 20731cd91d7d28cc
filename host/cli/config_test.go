package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owulveryck/gomcptest/host/toolbox"
)

func TestConfigPrecedence(t *testing.T) {
	home := t.TempDir()
	settings := `{"server": "http://file:8080", "model": "file-model", "prompt": "from the file",
		"temperature": 0.7, "max_tokens": 1024, "tools": ["bin/Bash", "bin/View"], "mcpservers": "bin/LS",
		"approve": ["Bash"], "context_bytes": 1000}`
	if err := os.WriteFile(filepath.Join(home, ".cligcp.json"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want func(config) string // "" when right
	}{
		{"the file", nil, nil, func(c config) string {
			if c.server != "http://file:8080" || c.model != "file-model" || c.prompt != "from the file" || *c.temperature != 0.7 || *c.maxTokens != 1024 ||
				c.mcpServers != "bin/Bash;bin/View;bin/LS" || strings.Join(c.approve, ",") != "Bash" || c.contextBytes != 1000 {
				return "not the file's settings"
			}
			return ""
		}},
		{"the environment over the file", map[string]string{"OPENAI_API_URL": "http://env:1", "DEFAULT_MODEL": "env-model", "SYSTEM_PROMPT": "from env", "MODEL_TEMPERATURE": "0.1", "MAX_OUTPUT_TOKENS": "10"}, nil, func(c config) string {
			if c.server != "http://env:1" || c.model != "env-model" || c.prompt != "from env" || *c.temperature != 0.1 || *c.maxTokens != 10 {
				return "not the environment's settings"
			}
			return ""
		}},
		{"the seed's SYSTEM_INSTRUCTION", map[string]string{"SYSTEM_INSTRUCTION": "expert"}, nil, func(c config) string {
			if c.prompt != "expert" {
				return "SYSTEM_INSTRUCTION is not the prompt"
			}
			return ""
		}},
		{"the flags over both", map[string]string{"DEFAULT_MODEL": "env-model"}, []string{"-model", "flag-model", "-server", "", "-prompt", "", "-temp", "0", "-mcpservers", "sleep", "-approve", "Edit, Replace"}, func(c config) string {
			if c.model != "flag-model" || c.server != "" || !c.promptSet || c.prompt != "" || *c.temperature != 0 || c.mcpServers != "sleep" || strings.Join(c.approve, ",") != "Edit,Replace" {
				return "not the flags' settings"
			}
			return ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"HOME": home}
			for k, v := range tc.env {
				env[k] = v
			}
			c, err := parseConfig(tc.args, func(k string) string { return env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if msg := tc.want(c); msg != "" {
				t.Errorf("%s: %+v", msg, c)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c, err := parseConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.model != "gemini-2.5-flash" || c.server != "" || c.promptSet || c.temperature != nil || c.maxTokens != nil || c.contextBytes != defaultContextBytes {
		t.Errorf("defaults %+v", c)
	}
	c, err = parseConfig(nil, func(k string) string { return map[string]string{"GEMINI_MODELS": "gemini-3-pro,gemini-2.5-flash"}[k] }, io.Discard)
	if err != nil || c.model != "gemini-3-pro" {
		t.Errorf("with GEMINI_MODELS the model is %q (%v), want the first", c.model, err)
	}
}

func TestConfigFileErrors(t *testing.T) {
	home := t.TempDir()
	name := filepath.Join(home, ".cligcp.json")
	if err := os.WriteFile(name, []byte(`{"modle": "typo"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := parseConfig(nil, func(k string) string { return map[string]string{"HOME": home}[k] }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), `"modle"`) {
		t.Errorf("a misspelt key: %v, want an error naming the file and the key", err)
	}
}

func TestFindTools(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Bash"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes"), []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	specs, err := toolbox.ParseSpec("Bash -root /tmp;notes;sleep;./Bash;http://127.0.0.1:1/mcp")
	if err != nil {
		t.Fatal(err)
	}
	findTools(specs, dir)
	var got []string
	for _, s := range specs {
		got = append(got, s.Command+s.URL)
	}
	want := []string{filepath.Join(dir, "Bash"), "notes", "sleep", "./Bash", "http://127.0.0.1:1/mcp"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("commands %q, want %q", got, want)
	}
}
