package sleep

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the sleep MCP server binary with the process's arguments and
// returns its exit code.
func Main() int {
	return toolkit.Main(toolkit.Program{
		Name:         "sleep",
		Summary:      "waits a given number of seconds (tool: sleep), for demonstrations and tests of timeouts, cancellation and progress",
		Instructions: "The sleep tool waits; use it only when a wait is needed.",
		Example:      toolkit.Example{Tool: "sleep", Arguments: `{"seconds":1}`},
		Register: func(_ context.Context, s *mcp.Server, _ toolkit.Config) error {
			Register(s, nil)
			return nil
		},
	})
}
