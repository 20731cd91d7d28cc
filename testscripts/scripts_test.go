package testscripts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/fakes/mcpservers"
	"github.com/owulveryck/gomcptest/fakes/mcpservers/everything"
	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
	"github.com/owulveryck/gomcptest/harness/mcptest"
	"github.com/owulveryck/gomcptest/harness/scriptcmd"
	"github.com/owulveryck/gomcptest/harness/vcr"
	"github.com/owulveryck/gomcptest/host/cli"
	"github.com/owulveryck/gomcptest/host/openaiserver/app"
	"github.com/owulveryck/gomcptest/host/toolboxclient"
	"github.com/owulveryck/gomcptest/tools/bash"
	"github.com/owulveryck/gomcptest/tools/dispatchagent"
	"github.com/owulveryck/gomcptest/tools/duckdb"
	"github.com/owulveryck/gomcptest/tools/edit"
	"github.com/owulveryck/gomcptest/tools/glob"
	"github.com/owulveryck/gomcptest/tools/grep"
	"github.com/owulveryck/gomcptest/tools/imagen"
	"github.com/owulveryck/gomcptest/tools/ls"
	"github.com/owulveryck/gomcptest/tools/plantuml"
	"github.com/owulveryck/gomcptest/tools/replace"
	"github.com/owulveryck/gomcptest/tools/sleep"
	"github.com/owulveryck/gomcptest/tools/subagent"
	"github.com/owulveryck/gomcptest/tools/view"
)

func TestMain(m *testing.M) {
	// The binaries the scripts run, by the names users know.
	testscript.Main(m, map[string]func(){
		"openaiserver":   exit(app.Main),
		"cliGCP":         exit(cli.Main),
		"mcptest":        exit(mcptest.Main),
		"fakegemini":     exit(fakegemini.Main),
		"mcpzoo":         exit(mcpservers.Main),
		"everything":     exit(everything.Main),
		"toolboxclient":  exit(toolboxclient.Main),
		"sleep":          exit(sleep.Main),
		"View":           exit(view.Main),
		"LS":             exit(ls.Main),
		"GlobTool":       exit(glob.Main),
		"GrepTool":       exit(grep.Main),
		"Bash":           exit(bash.Main),
		"Edit":           exit(edit.Main),
		"Replace":        exit(replace.Main),
		"duckdbserver":   exit(duckdb.Main),
		"plantuml":       exit(plantuml.Main),
		"plantuml_check": exit(plantuml.CheckMain),
		"imagen":         exit(imagen.Main),
		"imagen_edit":    exit(imagen.EditMain),
		"vcr":            exit(vcr.Main),
		"fakeopenai":     exit(fakeopenai.Main),
		"sub-agent":      exit(subagent.Main),
		"dispatch_agent": exit(dispatchagent.Main),
	})
}

func exit(main func() int) func() { return func() { os.Exit(main()) } }

func TestScripts(t *testing.T) {
	scenarios, err := filepath.Abs("scenarios")
	if err != nil {
		t.Fatal(err)
	}
	recordings, err := filepath.Abs("../recordings")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:  "testdata",
		Cmds: scriptcmd.Commands(),
		Setup: func(env *testscript.Env) error {
			// Scripts never see the developer's Google credentials, so they
			// always run the offline model or a fake.
			// Scenarios for fakegemini are txtar files themselves, so they
			// live beside the scripts rather than inside them.
			env.Setenv("SCENARIOS", scenarios)
			// The cassettes and transcripts recorded from real services.
			env.Setenv("RECORDINGS", recordings)
			for _, k := range []string{"GCP_PROJECT", "GOOGLE_CLOUD_PROJECT", "GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS"} {
				env.Setenv(k, "")
			}
			return scriptcmd.Setup(env)
		},
		RequireExplicitExec: true,
	})
}
