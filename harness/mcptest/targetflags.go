package mcptest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/owulveryck/gomcptest/harness/target"
)

// targetFlags are the flags of every command that talks to a server.
type targetFlags struct {
	url       string
	authToken string
	env       envList
	dir       string
	timeout   time.Duration
	json      bool
}

func (f *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.url, "url", "", "talk to the streamable HTTP endpoint at `URL` instead of starting a command")
	// Not defaulted to the environment's value: --help would print it.
	fs.StringVar(&f.authToken, "auth-token", "", "send `TOKEN` to the --url as \"Authorization: Bearer TOKEN\" (default $"+authTokenEnv+", which keeps it out of ps)")
	fs.Var(&f.env, "env", "add `K=V` to the command's environment (repeatable)")
	fs.StringVar(&f.dir, "dir", "", "run the command in `DIR`")
	fs.DurationVar(&f.timeout, "timeout", 60*time.Second, "give up after `DURATION`, including the time to start the server")
	fs.BoolVar(&f.json, "json", false, "print JSON instead of text")
}

// authTokenEnv gives --auth-token; it is the variable the tool binaries
// read their -auth-token from, so one export serves both sides.
const authTokenEnv = "MCP_AUTH_TOKEN"

// target builds the Target from the flags and the command after --.
func (f *targetFlags) target(command []string, stderr io.Writer) target.Target {
	token := f.authToken
	if token == "" && f.url != "" {
		// Only for a URL: the variable must not stop mcptest from
		// starting a command.
		token = os.Getenv(authTokenEnv)
	}
	return target.Target{URL: f.url, AuthToken: token, Command: command, Env: f.env, Dir: f.dir, Stderr: stderr}
}

// envList is the repeatable --env flag.
type envList []string

func (e *envList) String() string { return strings.Join(*e, " ") }

func (e *envList) Set(kv string) error {
	if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
		return errors.New("want K=V")
	}
	*e = append(*e, kv)
	return nil
}

// parse parses args as flags of fs mixed with positional arguments, up to
// a "--" after which everything is the server command. It returns the
// positional arguments and the command. The error has been printed.
func parse(fs *flag.FlagSet, args []string) (positional, command []string, err error) {
	if i := slices.Index(args, "--"); i >= 0 {
		args, command = args[:i], args[i+1:]
	}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, command, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// usageFunc prints a command's help: synopsis, description, flags.
func usageFunc(fs *flag.FlagSet, synopsis, description string) func() {
	return func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage:\n  %s\n\n%s\nFlags:\n", synopsis, description)
		fs.PrintDefaults()
	}
}

// connect opens a session to the target, reporting failure on stderr.
func connect(ctx context.Context, tgt target.Target, opts *target.Options, stderr io.Writer) (*mcp.ClientSession, bool) {
	cs, err := target.Connect(ctx, tgt, opts)
	if err != nil {
		report(ctx, stderr, err)
		return nil, false
	}
	return cs, true
}

// report prints err, saying so plainly when the cause is the timeout.
func report(ctx context.Context, stderr io.Writer, err error) {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		fmt.Fprintf(stderr, "mcptest: timed out (see --timeout): %v\n", err)
		return
	}
	fmt.Fprintf(stderr, "mcptest: %v\n", err)
}

// flagStatus maps a parse error to an exit code: --help is a success.
func flagStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitFailure
}
