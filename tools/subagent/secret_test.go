package subagent

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestKeyNeverShown checks that an endpoint that echoes the Authorization
// header in its error (a misconfigured proxy, a debugging server) does not
// get the API key into the tool's answer, a job's result or the log.
func TestKeyNeverShown(t *testing.T) {
	const key = "sk-secret-0123456789"
	bodies := map[string]func(auth string) (int, string){
		"api error": func(auth string) (int, string) {
			return http.StatusUnauthorized, fmt.Sprintf(`{"error":{"message":"bad credentials %s","type":"invalid_request_error"}}`, auth)
		},
		"not json": func(auth string) (int, string) {
			return http.StatusBadGateway, "<html>upstream refused " + auth + "</html>"
		},
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				code, text := body(r.Header.Get("Authorization"))
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(code)
				fmt.Fprint(w, text)
			}))
			t.Cleanup(ts.Close)
			var (
				mu  sync.Mutex
				log bytes.Buffer
			)
			logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &log}, nil))
			cs := connect(t, New(Endpoint{BaseURL: ts.URL, APIKey: key}, &Options{Logger: logger}), nil)
			got := call(t, cs, params("sub_agent_send", map[string]any{"message": "hi"}), true, nil)
			if strings.Contains(got, key) {
				t.Errorf("the answer shows the API key: %s", got)
			}
			var job SendOutput
			call(t, cs, params("sub_agent_send", map[string]any{"message": "hi", "background": true}), false, &job)
			var res Job
			call(t, cs, params("sub_agent_get_result", map[string]any{"task_id": job.TaskID, "wait_seconds": 10}), false, &res)
			if res.Status != Failed {
				t.Fatalf("background job = %+v, want failed", res)
			}
			if strings.Contains(res.Error, key) {
				t.Errorf("the job's error shows the API key: %s", res.Error)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Contains(log.String(), key) {
				t.Errorf("the log shows the API key:\n%s", log.String())
			}
		})
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
