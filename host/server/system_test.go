package server_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/owulveryck/gomcptest/host/llm/llmtest"
	"github.com/owulveryck/gomcptest/host/server"
)

func TestSystemInstructionComesFirst(t *testing.T) {
	p := llmtest.New(llmtest.Text("ok"), llmtest.Text("ok"))
	day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ts := newServer(t, p, &server.Options{
		Now:               func() time.Time { return day },
		SystemInstruction: func(now time.Time) string { return "Working directory: /srv. Date: " + now.Format(time.DateOnly) },
	})
	post(t, ts, `{"model":"test-model","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"x"}]}`, nil)
	post(t, ts, `{"model":"test-model","messages":[{"role":"user","content":"x"}]}`, nil)
	reqs := p.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, []string{"Working directory: /srv. Date: 2026-12-01", "Be brief."}, reqs[0].System)
	assert.Equal(t, []string{"Working directory: /srv. Date: 2026-12-01"}, reqs[1].System)
}
