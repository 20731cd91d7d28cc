package mcptest

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/owulveryck/gomcptest/harness/transcript"
)

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var (
		f      targetFlags
		vars   varFlags
		ignore pointerFlags
	)
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs)
	fs.Var(&vars, "var", "the value of the transcript's placeholder ${NAME}, as `NAME=VALUE` (repeatable)")
	fs.Var(&ignore, "ignore", "do not compare the field at `POINTER`, a JSON pointer into a response such as /result/content/0/text; * matches any key or index (repeatable)")
	fs.Usage = usageFunc(fs, "mcptest verify [flags] FILE (-- command [args...] | --url URL)", `Replay the client side of the transcript FILE (made by mcptest record)
against a live server and compare each of its answers with the recorded one,
printing a diff (-recorded +live) for each that differs. The ids and the
server's version are never compared; --ignore skips more fields, such as
timestamps.

Exit status: 0 when every answer matches, 1 when one differs, 2 when the
transcript cannot be read, the server cannot be run, or on a usage error.
`)
	positional, command, err := parse(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if len(positional) != 1 {
		fmt.Fprintln(stderr, "mcptest verify: want one transcript FILE (is the server command after --?)")
		return exitFailure
	}
	file := positional[0]
	tr, err := transcript.Load(file)
	if err != nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}
	t, err := f.target(command, stderr).Transport()
	if err != nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}

	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	diffs, err := transcript.Verify(ctx, tr, t, &transcript.VerifyOptions{Vars: vars, Ignore: ignore})
	for _, d := range diffs {
		fmt.Fprintln(stdout, d)
	}
	if err != nil {
		report(ctx, stderr, err)
		return exitFailure
	}
	if len(diffs) > 0 {
		fmt.Fprintf(stderr, "mcptest: %s: %d of the server's answers differ\n", file, len(diffs))
		return exitToolError
	}
	fmt.Fprintf(stdout, "ok %s\n", file)
	return exitOK
}

// pointerFlags is the repeatable --ignore flag.
type pointerFlags []string

func (p *pointerFlags) String() string { return strings.Join(*p, " ") }

func (p *pointerFlags) Set(s string) error {
	if !strings.HasPrefix(s, "/") {
		return fmt.Errorf("JSON pointer %q: want a leading /", s)
	}
	*p = append(*p, s)
	return nil
}
