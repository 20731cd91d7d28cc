package dispatchagent

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the dispatch_agent MCP server binary with the process's
// arguments and environment and returns its exit code.
func Main() int {
	var f flags
	return toolkit.Main(toolkit.Program{
		Name:    "dispatch_agent",
		Summary: "runs a read-only research agent (tool: dispatch_agent) on the host's Gemini model with View, GlobTool, GrepTool and LS",
		Environment: backend.Environment + "\n" +
			"The model comes from the environment, as for openaiserver, which gives its\n" +
			"tools a minimal environment, without keys: name what dispatch_agent needs\n" +
			"before it on its -mcpservers line; for the Gemini API\n" +
			"  openaiserver -mcpservers \"GEMINI_API_KEY /path/to/dispatch_agent\"\n" +
			"for Vertex AI (gcloud's default credentials are found through HOME; name\n" +
			"GOOGLE_APPLICATION_CREDENTIALS too for a key file)\n" +
			"  openaiserver -mcpservers \"GCP_PROJECT GCP_REGION /path/to/dispatch_agent\"\n" +
			"and GCP_PROJECT MODEL_BASE_URL for fakegemini. The tool binaries it starts\n" +
			"(-glob-path and the like) get a minimal environment in turn, without keys.\n",
		Instructions: "dispatch_agent answers a question about files with a research agent of its own; give it a self-contained prompt.",
		Example:      toolkit.Example{Tool: "dispatch_agent", Arguments: `{"prompt":"Which files define main?","path":"/src/project"}`},
		Flags:        f.bind,
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			bc, err := backend.FromEnv(cfg.Getenv)
			if err != nil {
				return err
			}
			model := f.model
			if model == "" {
				model = bc.Models[0]
			}
			// genai's client reads credentials here, not per request.
			provider, err := backend.Provider(context.Background(), bc, cfg.Logger)
			if err != nil {
				return err
			}
			Register(s, New(provider, model, &Options{
				MaxSteps:  f.maxSteps,
				Timeout:   f.timeout,
				Binaries:  Binaries{"GlobTool": f.glob, "GrepTool": f.grep, "LS": f.ls, "View": f.view},
				Policy:    cfg.Policy,
				MaxOutput: cfg.MaxOutput,
				Logger:    cfg.Logger,
			}))
			return nil
		},
	})
}

// flags are the command's own flags, those of the original dispatch_agent
// and a few more.
type flags struct {
	glob, grep, ls, view string
	timeout              time.Duration
	maxSteps             int
	model                string
}

func (f *flags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.glob, "glob-path", "", "run GlobTool from the binary at `PATH` (default: in-process)")
	fs.StringVar(&f.grep, "grep-path", "", "run GrepTool from the binary at `PATH` (default: in-process)")
	fs.StringVar(&f.ls, "ls-path", "", "run LS from the binary at `PATH` (default: in-process)")
	fs.StringVar(&f.view, "view-path", "", "run View from the binary at `PATH` (default: in-process)")
	fs.DurationVar(&f.timeout, "timeout", DefaultTimeout, "give up on a dispatch after `D`")
	fs.IntVar(&f.maxSteps, "max-steps", DefaultMaxSteps, fmt.Sprintf("stop the research agent after `N` model turns (default %d)", DefaultMaxSteps))
	fs.StringVar(&f.model, "model", "", "the model to ask (default: the first of GEMINI_MODELS)")
}
