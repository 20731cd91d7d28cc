package replace

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the Replace MCP server binary with the process's arguments and
// returns its exit code.
func Main() int {
	return toolkit.Main(toolkit.Program{
		Name:         "Replace",
		Summary:      "writes whole files atomically (tool: Replace), confined to the -root folders",
		Instructions: "Replace overwrites a whole file; prefer Edit for a partial change.",
		Example:      toolkit.Example{Tool: "Replace", Arguments: `{"file_path":"/tmp/notes.txt","content":"hello\n"}`},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			Register(s, &Options{Policy: cfg.Policy})
			return nil
		},
	})
}
