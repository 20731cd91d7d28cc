package subagent

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// CancelInput is the arguments of sub_agent_cancel.
type CancelInput struct {
	TaskID string `json:"task_id" jsonschema:"the task_id of the job to cancel"`
}

func (s *Service) cancel(ctx context.Context, _ *mcp.CallToolRequest, in CancelInput) (*mcp.CallToolResult, Job, error) {
	before, ok, err := s.store.Get(ctx, in.TaskID)
	if err != nil {
		return nil, Job{}, fmt.Errorf("reading task %q: %w", in.TaskID, err)
	}
	if !ok {
		return nil, Job{}, s.notFound(in.TaskID)
	}
	if before.Status.Final() {
		return nil, Job{}, fmt.Errorf("task %q already ended (%s): there is nothing to cancel; sub_agent_get_result returns it", in.TaskID, before.Status)
	}
	j, ok, err := s.store.Cancel(ctx, in.TaskID)
	if err != nil {
		return nil, Job{}, fmt.Errorf("cancelling task %q: %w", in.TaskID, err)
	}
	if !ok {
		return nil, Job{}, s.notFound(in.TaskID)
	}
	return nil, j, nil
}
