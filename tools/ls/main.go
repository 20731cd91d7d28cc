package ls

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the LS MCP server binary with the process's arguments and
// returns its exit code.
func Main() int {
	return toolkit.Main(toolkit.Program{
		Name:         "LS",
		Summary:      "lists a directory with each entry's type, size and modification time (tool: LS)",
		Instructions: "LS lists one directory by absolute path.",
		Example:      toolkit.Example{Tool: "LS", Arguments: `{"path":"/tmp"}`},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			Register(s, &Options{Policy: cfg.Policy, MaxOutput: cfg.MaxOutput})
			return nil
		},
	})
}
