package view

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the View MCP server binary with the process's arguments and
// returns its exit code.
func Main() int {
	return toolkit.Main(toolkit.Program{
		Name:         "View",
		Summary:      "reads files with numbered lines, a window at a time, and shows images (tool: View)",
		Instructions: "View reads files by absolute path; use offset and limit for long files.",
		Example:      toolkit.Example{Tool: "View", Arguments: `{"file_path":"/etc/hosts"}`},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			Register(s, &Options{Policy: cfg.Policy, MaxOutput: cfg.MaxOutput})
			return nil
		},
	})
}
