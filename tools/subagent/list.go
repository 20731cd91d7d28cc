package subagent

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ListInput is the arguments of sub_agent_list: none.
type ListInput struct{}

// ListOutput is the result of sub_agent_list.
type ListOutput struct {
	Results []Job `json:"results" jsonschema:"every job not expired, oldest first, without answers"`
	Count   int   `json:"count" jsonschema:"the number of jobs"`
}

func (s *Service) list(ctx context.Context, _ *mcp.CallToolRequest, _ ListInput) (*mcp.CallToolResult, ListOutput, error) {
	jobs, err := s.store.List(ctx)
	if err != nil {
		return nil, ListOutput{}, fmt.Errorf("listing the jobs: %w", err)
	}
	return nil, ListOutput{Results: jobs, Count: len(jobs)}, nil
}
