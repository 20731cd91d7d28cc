package mcptest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/harness/transcript"
)

// recordProtocol is the protocol revision record asks for by default: the
// newest one whose requests carry no per-request metadata, so recording
// the same session twice gives the same bytes.
const recordProtocol = "2025-11-25"

func runRecord(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var (
		f        targetFlags
		vars     varFlags
		out      string
		protocol string
	)
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs)
	fs.StringVar(&out, "o", "", "write the transcript to `FILE` (- for stdout)")
	fs.StringVar(&protocol, "protocol", recordProtocol, "ask for protocol `REVISION`")
	fs.Var(&vars, "var", "write VALUE as the placeholder ${NAME} in the transcript, as `NAME=VALUE` (repeatable)")
	fs.Usage = usageFunc(fs, "mcptest record -o FILE [flags] [TOOL ['{JSON arguments}']]... (-- command [args...] | --url URL)", `Record a session with a server as a transcript (a txtar file, one section per
JSON-RPC message, see package transcript): connect, list the tools, then call
each TOOL with its arguments, in order. The transcript can then stand in for
the server (mcptest replay-server) or check a new version of it (mcptest
verify).

A value that differs between runs, such as the temporary directory the tools
work in, is best given with --var DIR=/tmp/x: it is written as ${DIR}, and
given back to replay-server and verify with the same flag.

Exit status: 0 when the transcript is written, even if a call failed (the
failure is recorded), 2 when the server cannot be run or on a usage error.
`)
	positional, command, err := parse(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if out == "" {
		fmt.Fprintln(stderr, "mcptest record: want -o FILE")
		return exitFailure
	}
	var calls []*mcp.CallToolParams
	if len(positional) > 0 {
		if calls, err = parseCalls(positional); err != nil {
			fmt.Fprintf(stderr, "mcptest record: %v\n", err)
			return exitFailure
		}
	}
	tgt := f.target(command, stderr)
	t, err := tgt.Transport()
	if err != nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}

	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	rec := transcript.NewRecorder(t)
	client := mcp.NewClient(&mcp.Implementation{Name: "mcptest", Version: "record"}, nil)
	cs, err := client.Connect(ctx, rec, &mcp.ClientSessionOptions{ProtocolVersion: protocol})
	if err != nil {
		report(ctx, stderr, fmt.Errorf("connecting to %s: %w", tgt, err))
		return exitFailure
	}
	if err := session(ctx, cs, calls, stderr); err != nil {
		cs.Close()
		report(ctx, stderr, err)
		return exitFailure
	}
	cs.Close()

	tr := rec.Transcript(transcript.Header{
		Comment: "MCP session recorded by mcptest record.",
		Server:  tgt.String(),
		Date:    time.Now().Format(time.DateOnly),
	}).Abstract(vars)
	if err := write(out, tr.Format(), stdout); err != nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}
	if out != "-" {
		fmt.Fprintf(stderr, "mcptest: recorded %d messages in %s\n", len(tr.Messages), out)
	}
	return exitOK
}

// session lists the tools and makes the calls. A call that fails with a
// JSON-RPC error is in the transcript like any other answer, so it is only
// reported; the session ending is an error.
func session(ctx context.Context, cs *mcp.ClientSession, calls []*mcp.CallToolParams, stderr io.Writer) error {
	for _, err := range cs.Tools(ctx, nil) {
		if err != nil {
			return fmt.Errorf("listing tools: %w", err)
		}
	}
	for _, params := range calls {
		_, err := cs.CallTool(ctx, params)
		switch {
		case errors.Is(err, mcp.ErrConnectionClosed), ctx.Err() != nil:
			return fmt.Errorf("tool %s: %w", params.Name, err)
		case err != nil:
			fmt.Fprintf(stderr, "mcptest: tool %s: %v (recorded)\n", params.Name, err)
		}
	}
	return nil
}

// write writes data to the file out, or to stdout when out is "-".
func write(out string, data []byte, stdout io.Writer) error {
	if out == "-" {
		_, err := stdout.Write(data)
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("writing transcript: %w", err)
	}
	return nil
}

// varFlags is the repeatable --var NAME=VALUE flag.
type varFlags map[string]string

func (v *varFlags) String() string {
	var kv []string
	for k, val := range *v {
		kv = append(kv, k+"="+val)
	}
	return strings.Join(kv, " ")
}

func (v *varFlags) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" || strings.ContainsAny(name, "${} ") {
		return errors.New("want NAME=VALUE")
	}
	if *v == nil {
		*v = make(varFlags)
	}
	(*v)[name] = value
	return nil
}
