package bash

import (
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/internal/toolkit"
)

// Main runs the Bash MCP server binary with the process's arguments and
// returns its exit code.
func Main() int {
	return toolkit.Main(toolkit.Program{
		Name:         "Bash",
		Summary:      "runs commands in a persistent bash shell per session (tool: Bash); -root sets the starting folder but cannot confine a shell",
		Instructions: "Bash runs commands in a shell that keeps its working directory and exported variables between calls.",
		Example:      toolkit.Example{Tool: "Bash", Arguments: `{"command":"ls -la"}`},
		Register: func(s *mcp.Server, cfg toolkit.Config) error {
			opts := &Options{MaxOutput: cfg.MaxOutput, Logger: cfg.Logger}
			if cfg.MaxOutput <= 0 {
				opts.MaxOutput = -1 // -max-output 0: no limit
			}
			if roots := cfg.Policy.Roots(); len(roots) > 0 {
				opts.Dir = roots[0]
			}
			return Register(s, opts)
		},
	})
}
