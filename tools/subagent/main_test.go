package subagent

import (
	"strings"
	"testing"
	"time"
)

func TestConfig(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

	ep, opts, err := (&flags{}).config(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if ep.BaseURL != DefaultBaseURL || ep.Model != DefaultModel || opts.TTL != time.Hour || opts.MaxJobs != 16 {
		t.Errorf("defaults: %+v %+v", ep, opts)
	}

	ep, opts, err = (&flags{maxJobs: 4}).config(env(map[string]string{
		"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1", "OPENAI_MODEL": "llama3", "TTL": "2h",
		"CLEANUP_INTERVAL": "10s", "REQUEST_TIMEOUT": "30s", "MAX_JOBS": "99",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if ep.BaseURL != "http://127.0.0.1:11434/v1" || ep.Model != "llama3" || opts.TTL != 2*time.Hour ||
		opts.CleanupInterval != 10*time.Second || opts.RequestTimeout != 30*time.Second || opts.MaxJobs != 4 {
		t.Errorf("from env, -max-jobs 4 winning: %+v %+v", ep, opts)
	}

	for k, v := range map[string]string{"TTL": "soon", "REQUEST_TIMEOUT": "-1s", "MAX_JOBS": "many"} {
		if _, _, err := (&flags{}).config(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k+"=") {
			t.Errorf("%s=%s: err = %v", k, v, err)
		}
	}

	f := &flags{}
	if _, _, err := f.config(env(nil)); err != nil || f.store != "memory" || f.lease != 0 {
		t.Errorf("default store %q, lease %v, %v", f.store, f.lease, err)
	}
	f = &flags{}
	if _, _, err := f.config(env(map[string]string{"SUBAGENT_STORE": "redis://127.0.0.1:6379/2", "SUBAGENT_LEASE": "5s"})); err != nil ||
		f.store != "redis://127.0.0.1:6379/2" || f.lease != 5*time.Second {
		t.Errorf("store from env %q, lease %v, %v", f.store, f.lease, err)
	}
	f = &flags{store: "memory"}
	if _, _, err := f.config(env(map[string]string{"SUBAGENT_STORE": "redis://127.0.0.1:6379/2"})); err != nil || f.store != "memory" {
		t.Errorf("-store memory against the env: %q, %v", f.store, err)
	}
	_, _, err = (&flags{store: "postgres://:hunter2@db/x"}).config(env(nil))
	if err == nil || !strings.Contains(err.Error(), "want memory, or a Redis URL") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unknown store: %v", err)
	}
}
