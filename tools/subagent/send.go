package subagent

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// SendInput is the arguments of sub_agent_send.
type SendInput struct {
	Message    string `json:"message" jsonschema:"the message to send; the sub-agent sees nothing else of this conversation"`
	Background bool   `json:"background,omitempty" jsonschema:"return a task_id at once and run the request in the background (default false: wait for the answer)"`
	Model      string `json:"model,omitempty" jsonschema:"the model to ask, instead of the endpoint's default"`
	System     string `json:"system,omitempty" jsonschema:"a system prompt for the sub-agent"`
}

// SendOutput is the result of sub_agent_send: the answer, or for a
// background send the job's id and status.
type SendOutput struct {
	TaskID       string `json:"task_id,omitempty" jsonschema:"the background job's id"`
	Status       Status `json:"status,omitempty" jsonschema:"the background job's status: queued"`
	Text         string `json:"text,omitempty" jsonschema:"the model's answer"`
	Model        string `json:"model,omitempty" jsonschema:"the model that answered"`
	FinishReason string `json:"finish_reason,omitempty" jsonschema:"why the answer ended"`
	Usage        *Usage `json:"usage,omitempty" jsonschema:"the tokens used"`
}

func (s *Service) send(ctx context.Context, req *mcp.CallToolRequest, in SendInput) (*mcp.CallToolResult, SendOutput, error) {
	if strings.TrimSpace(in.Message) == "" {
		return nil, SendOutput{}, errors.New("message is empty: give the sub-agent a task")
	}
	r := Request{Message: in.Message, System: in.System, Model: in.Model}
	if in.Background {
		j, err := s.Submit(ctx, r)
		if err != nil {
			return nil, SendOutput{}, fmt.Errorf("queueing the task: %w", err)
		}
		return nil, SendOutput{TaskID: j.TaskID, Status: j.Status}, nil
	}
	r = s.defaults(r)
	type answer struct {
		c   *Completion
		err error
	}
	done := make(chan answer, 1)
	go func() {
		c, err := s.Send(ctx, r)
		done <- answer{c, err}
	}()
	var tick <-chan time.Time
	token := req.Params.GetProgressToken()
	if token != nil {
		t := time.NewTicker(s.progress)
		defer t.Stop()
		tick = t.C
	}
	start := time.Now()
	for {
		select {
		case a := <-done:
			if a.err != nil {
				return nil, SendOutput{}, a.err
			}
			c := a.c
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: c.Text}}},
				SendOutput{Text: c.Text, Model: c.Model, FinishReason: c.FinishReason, Usage: &c.Usage}, nil
		case <-tick:
			waited := time.Since(start).Round(time.Second)
			// Progress is best effort: a client that went away cancels ctx.
			_ = req.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{
				ProgressToken: token,
				Progress:      waited.Seconds(),
				Message:       fmt.Sprintf("waiting for %s at %s: %s", r.Model, s.ep.BaseURL, waited),
			})
		}
	}
}
