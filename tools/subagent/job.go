package subagent

import (
	"time"
)

// Status is where a background job is in its life.
type Status string

// The statuses of a job: queued, then running, then one of the final three.
const (
	Queued    Status = "queued"
	Running   Status = "running"
	Completed Status = "completed"
	Failed    Status = "failed"
	Cancelled Status = "cancelled"
)

// Final reports whether s ends a job's life.
func (s Status) Final() bool {
	return s == Completed || s == Failed || s == Cancelled
}

// A Job is a snapshot of one background request, as the tools show it.
type Job struct {
	TaskID     string      `json:"task_id" jsonschema:"the job's id, for sub_agent_get_result and sub_agent_cancel"`
	Status     Status      `json:"status" jsonschema:"queued, running, completed, failed or cancelled"`
	Model      string      `json:"model" jsonschema:"the model asked"`
	Preview    string      `json:"preview" jsonschema:"the start of the message sent"`
	CreatedAt  string      `json:"created_at" jsonschema:"when the job was submitted (RFC 3339)"`
	StartedAt  string      `json:"started_at,omitempty" jsonschema:"when the request was sent"`
	FinishedAt string      `json:"finished_at,omitempty" jsonschema:"when the job ended"`
	ExpiresAt  string      `json:"expires_at,omitempty" jsonschema:"when the finished job will be forgotten"`
	Result     *Completion `json:"result,omitempty" jsonschema:"the answer of a completed job"`
	Error      string      `json:"error,omitempty" jsonschema:"why a job failed or was cancelled"`
}

// Completion is the endpoint's answer to one message.
type Completion struct {
	Text         string `json:"text" jsonschema:"the model's answer"`
	Model        string `json:"model" jsonschema:"the model that answered, as the endpoint names it"`
	FinishReason string `json:"finish_reason" jsonschema:"why the answer ended: stop, length, content_filter..."`
	Usage        Usage  `json:"usage" jsonschema:"the tokens used"`
}

// Usage counts tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// previewLen is how much of a message a listing shows.
const previewLen = 80

// job is a MemoryStore's record of a background request. Its fields are
// guarded by the store's lock; done and stop are closed when the job ends.
type job struct {
	id       string
	req      Request
	status   Status
	created  time.Time
	started  time.Time
	finished time.Time
	result   *Completion
	err      string
	done     chan struct{}
	stop     chan struct{}
}

func (j *job) snapshot(ttl time.Duration, full bool) Job {
	s := Job{
		TaskID:    j.id,
		Status:    j.status,
		Model:     j.req.Model,
		Preview:   preview(j.req.Message),
		CreatedAt: stamp(j.created),
		StartedAt: stamp(j.started),
		Error:     j.err,
	}
	if !j.finished.IsZero() {
		s.FinishedAt = stamp(j.finished)
		s.ExpiresAt = stamp(j.finished.Add(ttl))
	}
	if full {
		s.Result = j.result
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func preview(s string) string {
	r := []rune(s)
	if len(r) <= previewLen {
		return s
	}
	return string(r[:previewLen]) + "…"
}
