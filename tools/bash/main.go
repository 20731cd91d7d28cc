package bash

import (
	"context"
	"flag"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the Bash MCP server binary with the process's arguments and
// returns its exit code. The process becomes the subreaper of its shells
// (see [Options.Subreaper]), and before Main returns every shell and every
// process they started is killed.
func Main() int {
	var (
		t        *tool
		maxProcs int
	)
	code := toolkit.Main(toolkit.Program{
		Name:         "Bash",
		Summary:      "runs commands in a persistent bash shell per session (tool: Bash); -root sets the starting folder but cannot confine a shell",
		Instructions: "Bash runs commands in a shell that keeps its working directory and exported variables between calls.",
		Example:      toolkit.Example{Tool: "Bash", Arguments: `{"command":"ls -la"}`},
		Flags: func(fs *flag.FlagSet) {
			fs.IntVar(&maxProcs, "max-procs", 0, "kill a session's shell and all it started once they try to run more than `N` processes and threads at once (0: no limit; Linux only). "+
				"Where the server may create pids cgroups (as root, mostly) the kernel refuses the fork past N; elsewhere they are counted every 100ms, "+
				"and a fork bomb can run the machine out of processes before it is killed")
		},
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			opts := &Options{MaxOutput: cfg.MaxOutput, MaxProcs: maxProcs, Subreaper: true, Logger: cfg.Logger}
			if cfg.MaxOutput <= 0 {
				opts.MaxOutput = -1 // -max-output 0: no limit
			}
			if roots := cfg.Policy.Roots(); len(roots) > 0 {
				opts.Dir = roots[0]
			}
			var err error
			if t, err = newTool(opts); err != nil {
				return err
			}
			t.register(s)
			return nil
		},
	})
	if t != nil {
		t.close()
	}
	return code
}
