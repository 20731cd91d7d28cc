package subagent

import (
	_ "embed"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

var (
	//go:embed send.md
	sendDescription string
	//go:embed list.md
	listDescription string
	//go:embed get.md
	getDescription string
	//go:embed cancel.md
	cancelDescription string
)

// Register adds the tools sub_agent_send, sub_agent_list,
// sub_agent_get_result and sub_agent_cancel, served by svc, to s.
func Register(s *mcp.Server, svc *Service) {
	closed := new(false)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "sub_agent_send",
		Description: sendDescription,
		Annotations: &mcp.ToolAnnotations{OpenWorldHint: new(true)},
	}, svc.send)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "sub_agent_list",
		Description: listDescription,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: closed},
	}, svc.list)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "sub_agent_get_result",
		Description: getDescription,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: closed},
	}, svc.get)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "sub_agent_cancel",
		Description: cancelDescription,
		Annotations: &mcp.ToolAnnotations{DestructiveHint: new(false), IdempotentHint: true, OpenWorldHint: closed},
	}, svc.cancel)
}
