package mcptest

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/harness/transcript"
)

func runReplayServer(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var vars varFlags
	fs := flag.NewFlagSet("replay-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(&vars, "var", "the value of the transcript's placeholder ${NAME}, as `NAME=VALUE` (repeatable)")
	fs.Usage = usageFunc(fs, "mcptest replay-server [flags] FILE", `Serve the transcript FILE (made by mcptest record) over stdin and stdout as
an MCP server: each request gets the answer recorded for the same method and
parameters, so a client can be tested without the recorded server, e.g.
  openaiserver -mcpservers "mcptest replay-server recordings/mcp/sleep.txtar"
A request the transcript does not hold gets a JSON-RPC error naming it, and
is logged on stderr.

Exit status: 0 when the client closes stdin, 2 when the transcript cannot be
read or on a usage error.
`)
	positional, _, err := parse(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if len(positional) != 1 {
		fmt.Fprintln(stderr, "mcptest replay-server: want one transcript FILE")
		return exitFailure
	}
	tr, err := transcript.Load(positional[0])
	if err != nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}
	srv, err := transcript.NewServer(tr, &transcript.ServerOptions{
		Vars:   vars,
		Logger: slog.New(slog.NewTextHandler(stderr, nil)),
	})
	if err != nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}
	// The protocol is on the process's stdin and the stdout given to Run.
	t := &mcp.IOTransport{Reader: os.Stdin, Writer: nopCloser{stdout}}
	if err := srv.Serve(ctx, t); err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// nopCloser keeps the serving from closing the writer it was given.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
