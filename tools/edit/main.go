package edit

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the Edit MCP server binary with the process's arguments and
// returns its exit code.
func Main() int {
	return toolkit.Main(toolkit.Program{
		Name:         "Edit",
		Summary:      "edits text files by exact replacement (tool: Edit), confined to the -root folders",
		Instructions: "Edit changes files in place; read a file before editing it and copy old_string exactly.",
		Example:      toolkit.Example{Tool: "Edit", Arguments: `{"file_path":"/tmp/notes.txt","old_string":"draft","new_string":"final"}`},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			Register(s, &Options{Policy: cfg.Policy, MaxOutput: noLimit(cfg.MaxOutput)})
			return nil
		},
	})
}

// noLimit maps the -max-output flag, where 0 means no limit, to
// [Options.MaxOutput], where 0 means the default.
func noLimit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}
