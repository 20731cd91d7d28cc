package glob

import (
	"context"
	"flag"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the GlobTool MCP server binary with the process's arguments
// and returns its exit code.
func Main() int {
	var include string
	return toolkit.Main(toolkit.Program{
		Name:         "GlobTool",
		Summary:      "finds files whose paths match a glob pattern, newest first, with size, time and permissions (tool: GlobTool)",
		Instructions: "GlobTool finds files by name; pass absolute paths.",
		Example:      toolkit.Example{Tool: "GlobTool", Arguments: `{"pattern":"**/*.go","path":"/tmp"}`},
		Flags: func(fs *flag.FlagSet) {
			fs.Func("include", "list only files that also match `GLOB` (*.go, *.{html,css,js}; without a slash it matches base names)", func(g string) error {
				if _, err := Compile(g); err != nil {
					return err
				}
				include = g
				return nil
			})
		},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			Register(s, &Options{Policy: cfg.Policy, MaxOutput: cfg.MaxOutput, Include: include})
			return nil
		},
	})
}
