package subagent

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ListInput is the arguments of sub_agent_list: none.
type ListInput struct{}

// ListOutput is the result of sub_agent_list.
type ListOutput struct {
	Results []Job `json:"results" jsonschema:"every job not expired, oldest first, without answers"`
	Count   int   `json:"count" jsonschema:"the number of jobs"`
}

func (s *Service) list(context.Context, *mcp.CallToolRequest, ListInput) (*mcp.CallToolResult, ListOutput, error) {
	jobs := s.store.List()
	return nil, ListOutput{Results: jobs, Count: len(jobs)}, nil
}
