package grep

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the GrepTool MCP server binary with the process's arguments
// and returns its exit code.
func Main() int {
	return toolkit.Main(toolkit.Program{
		Name:         "GrepTool",
		Summary:      "searches file contents with a regular expression, in parallel, honouring .gitignore (tool: GrepTool)",
		Instructions: "GrepTool searches file contents; pass absolute paths.",
		Example:      toolkit.Example{Tool: "GrepTool", Arguments: `{"pattern":"func main","path":"/tmp","include":"*.go"}`},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			Register(s, &Options{Policy: cfg.Policy, MaxOutput: cfg.MaxOutput})
			return nil
		},
	})
}
