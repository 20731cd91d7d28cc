package mcptest

import (
	"context"
	"fmt"
	"io"
)

// Exit codes, the same for every command.
const (
	exitOK        = 0
	exitToolError = 1 // the tool ran and reported an error (isError)
	exitFailure   = 2 // bad usage, the server could not be reached, or a protocol error
)

// A command is one mcptest subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands lists every subcommand, in the order help shows them.
func commands() []command {
	return []command{
		{"list", "list the tools of a server", runList},
		{"call", "call a tool and print its result", runCall},
		{"check", "check that a server follows the MCP specification", runCheck},
		{"checks", "list the checks that check runs", runChecks},
		{"record", "record a session with a server as a transcript", runRecord},
		{"verify", "check a server's answers against a transcript", runVerify},
		{"replay-server", "serve a transcript as an MCP server on stdio", runReplayServer},
	}
}

// Run dispatches args to a subcommand and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitFailure
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			// "help CMD" is "CMD --help", printed to stdout since it was asked for.
			return Run(ctx, []string{args[1], "--help"}, stdout, stdout)
		}
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "mcptest: unknown command %q\n\n", name)
	usage(stderr)
	return exitFailure
}

func usage(w io.Writer) {
	fmt.Fprint(w, `mcptest drives an MCP server from the command line.

Usage:
  mcptest <command> [flags] [arguments] [-- server command and arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  help          explain a command: mcptest help <command>

The server is either a command, given after --, that mcptest starts and
talks to over stdin/stdout, or a streamable HTTP endpoint given with --url.
An endpoint that wants a bearer token gets it from --auth-token, or from
$MCP_AUTH_TOKEN, the variable the tool binaries read theirs from.

Examples:
  mcptest list -- ./bin/sleep
  mcptest call sleep '{"seconds":1.5}' -- ./bin/sleep
  mcptest call --json sleep '{"seconds":1}' -- ./bin/sleep
  mcptest list --json --url http://127.0.0.1:8081/mcp
  mcptest record -o sleep.txtar sleep '{"seconds":0}' -- ./bin/sleep
  mcptest verify sleep.txtar -- ./bin/sleep

Exit status: 0 on success, 1 when a called tool reports an error (isError),
2 when the server cannot be reached, on a protocol error or a usage error.
`)
}
