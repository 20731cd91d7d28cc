package scriptcmd_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/owulveryck/gomcptest/harness/scriptcmd"
)

// TestFailures runs scripts that must fail, each in a testscript.T of its
// own, and checks what the user is told.
func TestFailures(t *testing.T) {
	srv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return newServer() }, nil))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name, script string
		noSetup      bool
		want         []string
	}{{
		name: "fake left with a turn unused",
		script: `unquote turns.txtar
fake start openai turns.txtar
-- turns.txtar --
>-- 1: hello --
>text Hello.
`,
		want: []string{"script script: fake openai, still running at its end, did not play turns.txtar as written:", "turn never used: turns.txtar:1 (1: hello)"},
	}, {
		name:    "no Setup",
		script:  "mcp start srv -url $MCPURL\n",
		noSetup: true,
		want:    []string{"script.txtar:1: mcp start: the script has no scriptcmd state: set testscript.Params.Setup to scriptcmd.Setup"},
	}, {
		name:   "a bad scenario",
		script: "fake start gemini turns.txtar\n-- turns.txtar --\n",
		want:   []string{"script.txtar:1: fake start gemini: turns.txtar:1: no turns"},
	}, {
		name:   "a missing scenario",
		script: "fake start openai nosuch.txtar\n",
		want:   []string{"script.txtar:1: open ", "nosuch.txtar: no such file or directory"},
	}, {
		name:   "an unknown fake",
		script: "fake start claude turns.txtar\n",
		want:   []string{`fake start: no fake "claude": want gemini or openai`},
	}, {
		name:   "a tool failure without !",
		script: "mcp start srv -url $MCPURL\nmcp call srv fail\n",
		want:   []string{"it went wrong", "script.txtar:2: mcp call srv fail: the tool reported an error (isError); its content is in stdout"},
	}, {
		name:   "a success under !",
		script: "mcp start srv -url $MCPURL\n! mcp call srv echo '{\"text\":\"hi\"}'\n",
		want:   []string{"script.txtar:2: mcp call srv echo: the call succeeded, want isError or an error"},
	}, {
		name:   "arguments that are no object",
		script: "mcp start srv -url $MCPURL\nmcp call srv echo '[1]'\n",
		want:   []string{`script.txtar:2: mcp call: arguments "[1]": want a JSON object`},
	}, {
		name:   "no such session",
		script: "mcp call nosuch echo\n",
		want:   []string{"script.txtar:1: mcp call: no session nosuch (mcp start nosuch first)"},
	}, {
		name:   "a session opened twice",
		script: "mcp start srv -url $MCPURL\nmcp start srv -url $MCPURL\n",
		want:   []string{"script.txtar:2: mcp start srv: the session srv is already open (mcp stop srv first)"},
	}, {
		name:   "a server that is not there",
		script: "mcp start srv -- nosuchserver\n",
		want:   []string{"script.txtar:1: mcp start srv: nosuchserver: not found in the script's $PATH"},
	}, {
		name:   "a server that exits",
		script: "mcp start srv -- echoserver -exit 3\n",
		want:   []string{"script.txtar:1: mcp start srv: connecting: ", "the server's stderr:\nechoserver: told to exit with 3"},
	}, {
		name:   "missing arguments",
		script: "mcp call srv\n",
		want:   []string{"script.txtar:1: usage: mcp call [-json] [-timeout D] NAME TOOL [ARGS]"},
	}, {
		name:   "a bad flag",
		script: "mcp call -jsn srv echo\n",
		want:   []string{"script.txtar:1: mcp call: flag provided but not defined: -jsn\nusage: mcp call"},
	}, {
		name:   "an unknown subcommand",
		script: "mcp strat srv\n",
		want:   []string{"script.txtar:1: mcp: unknown subcommand \"strat\"\nusage:\n\tmcp start NAME (-- COMMAND [ARGS...] | -url URL)\n\tmcp call"},
	}, {
		name:   "help for no command",
		script: "help nosuch\n",
		want:   []string{`script.txtar:1: no command "nosuch" (help with no name lists them)`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "script.txtar")
			if err := os.WriteFile(file, []byte(tc.script), 0o666); err != nil {
				t.Fatal(err)
			}
			setup := func(env *testscript.Env) error {
				env.Setenv("MCPURL", srv.URL)
				if tc.noSetup {
					return nil
				}
				return scriptcmd.Setup(env)
			}
			var r recorder
			testscript.RunT(&r, testscript.Params{Files: []string{file}, Cmds: scriptcmd.Commands(), Setup: setup})
			if !r.failed {
				t.Errorf("the script passed; log:\n%s", r.log.String())
			}
			for _, want := range tc.want {
				if !strings.Contains(r.log.String(), want) {
					t.Errorf("the log lacks %q; log:\n%s", want, r.log.String())
				}
			}
		})
	}
}

// recorder is a testscript.T that keeps the log and whether the script
// failed, so that a test can check a failing script.
type recorder struct {
	mu     sync.Mutex
	log    strings.Builder
	failed bool
}

func (r *recorder) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(&r.log, args...)
}

func (r *recorder) Error(args ...any) {
	r.Log(args...)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = true
}

func (r *recorder) FailNow() {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) { r.Log(args...); r.FailNow() }
func (r *recorder) Skip(args ...any)  { r.Log(args...); runtime.Goexit() }
func (r *recorder) Parallel()         {}
func (r *recorder) Verbose() bool     { return false }

// Run runs f on a goroutine of its own, so that FailNow ends f alone.
func (r *recorder) Run(_ string, f func(testscript.T)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}
