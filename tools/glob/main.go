package glob

import (
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/toolkit"
)

// Main runs the GlobTool MCP server binary with the process's arguments
// and returns its exit code.
func Main() int {
	return toolkit.Main(toolkit.Program{
		Name:         "GlobTool",
		Summary:      "finds files whose paths match a glob pattern, newest first, with size, time and permissions (tool: GlobTool)",
		Instructions: "GlobTool finds files by name; pass absolute paths.",
		Example:      toolkit.Example{Tool: "GlobTool", Arguments: `{"pattern":"**/*.go","path":"/tmp"}`},
		Register: func(s *mcp.Server, cfg toolkit.Config) error {
			Register(s, &Options{Policy: cfg.Policy, MaxOutput: cfg.MaxOutput})
			return nil
		},
	})
}
