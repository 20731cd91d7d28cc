package subagent

import (
	"context"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// MaxWait is the longest wait_seconds of sub_agent_get_result.
const MaxWait = 600

// GetInput is the arguments of sub_agent_get_result.
type GetInput struct {
	TaskID      string  `json:"task_id" jsonschema:"the task_id that sub_agent_send returned"`
	WaitSeconds float64 `json:"wait_seconds,omitempty" jsonschema:"wait up to this many seconds (at most 600) for a queued or running job to end; default 0: answer at once"`
}

func (s *Service) get(ctx context.Context, _ *mcp.CallToolRequest, in GetInput) (*mcp.CallToolResult, Job, error) {
	if in.WaitSeconds < 0 || in.WaitSeconds > MaxWait {
		return nil, Job{}, fmt.Errorf("wait_seconds must be between 0 and %d, got %v", MaxWait, in.WaitSeconds)
	}
	if in.WaitSeconds > 0 {
		wctx, cancel := context.WithTimeout(ctx, time.Duration(in.WaitSeconds*float64(time.Second)))
		err := s.store.Wait(wctx, in.TaskID)
		cancel()
		if err != nil && ctx.Err() == nil && wctx.Err() == nil {
			return nil, Job{}, fmt.Errorf("waiting for task %q: %w", in.TaskID, err)
		}
	}
	j, ok, err := s.store.Get(ctx, in.TaskID)
	if err != nil {
		return nil, Job{}, fmt.Errorf("reading task %q: %w", in.TaskID, err)
	}
	if !ok {
		return nil, Job{}, s.notFound(in.TaskID)
	}
	return nil, j, nil
}

func (s *Service) notFound(id string) error {
	return fmt.Errorf("task %q not found or expired: results are kept for %s after a job ends; sub_agent_list shows the jobs there are", id, s.ttl)
}
