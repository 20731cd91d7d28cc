package scriptcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/rogpeppe/go-internal/testscript"
)

func mcpCallCmd() command {
	return command{
		name:    "mcp call",
		args:    "[-json] [-timeout D] NAME TOOL [ARGS]",
		summary: "call TOOL in the session NAME and print its result",
		detail: []string{
			"ARGS is a JSON object, or @FILE for a file holding one (default {}).",
			"The result goes to stdout: each text content as it is, ending with a newline; any other content (an image, a resource) as its JSON on one line; the structured content as JSON when there is no content. With -json, the whole result as the server sent it, indented: content, structuredContent, isError.",
			"A result with isError fails the command, and so does a JSON-RPC error (an unknown tool, arguments the tool's schema refuses), written to stderr; ! mcp call expects one of them. A lost session fails the script either way. -timeout bounds the call (default 1m).",
		},
		run: mcpCall,
	}
}

func mcpListCmd() command {
	return command{
		name:    "mcp list",
		args:    "NAME",
		summary: "print the names of the tools of the session NAME, one a line",
		run:     mcpList,
	}
}

func mcpCall(ts *testscript.TestScript, neg bool, args []string) {
	fs := flag.NewFlagSet("mcp call", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the whole result")
	timeout := fs.Duration("timeout", time.Minute, "how long the call may take")
	if n := parseFlags(ts, fs, args); n < 2 || n > 3 {
		fatalUsage(ts, "mcp call")
	}
	st := scriptState(ts, "mcp call", true)
	name, tool := fs.Arg(0), fs.Arg(1)
	s := openSession(ts, st, "mcp call", name)
	arguments := map[string]any{}
	if fs.NArg() == 3 {
		arguments = callArguments(ts, fs.Arg(2))
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	res, err := s.cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: arguments})
	var rpcErr *jsonrpc.Error
	switch {
	case errors.As(err, &rpcErr):
		fmt.Fprintf(ts.Stderr(), "mcp call %s %s: %v\n", name, tool, rpcErr)
		if !neg {
			ts.Fatalf("mcp call %s %s: the server answered with an error: %v", name, tool, rpcErr)
		}
		return
	case err != nil:
		ts.Fatalf("mcp call %s %s: %v%s", name, tool, err, s.stderrNote())
	}
	if *asJSON {
		data, err := json.MarshalIndent(res, "", "  ")
		ts.Check(err)
		fmt.Fprintf(ts.Stdout(), "%s\n", data)
	} else {
		ts.Check(writeResult(ts.Stdout(), res))
	}
	switch {
	case res.IsError && !neg:
		ts.Fatalf("mcp call %s %s: the tool reported an error (isError); its content is in stdout", name, tool)
	case !res.IsError && neg:
		ts.Fatalf("mcp call %s %s: the call succeeded, want isError or an error", name, tool)
	}
}

// callArguments reads the ARGS of mcp call: a JSON object, or @FILE.
func callArguments(ts *testscript.TestScript, arg string) map[string]any {
	data := arg
	if file, ok := strings.CutPrefix(arg, "@"); ok {
		data = ts.ReadFile(file)
	}
	var arguments map[string]any
	if err := json.Unmarshal([]byte(data), &arguments); err != nil || arguments == nil {
		ts.Fatalf("mcp call: arguments %q: want a JSON object such as '{\"text\":\"hi\"}', or @FILE holding one", arg)
	}
	return arguments
}

// writeResult writes what a script matches a result against: text as it
// is, other content as one line of JSON each.
func writeResult(w io.Writer, res *mcp.CallToolResult) error {
	var b strings.Builder
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			b.WriteString(t.Text)
			if !strings.HasSuffix(t.Text, "\n") {
				b.WriteString("\n")
			}
			continue
		}
		data, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("encoding a %T: %w", c, err)
		}
		fmt.Fprintf(&b, "%s\n", data)
	}
	if len(res.Content) == 0 && res.StructuredContent != nil {
		data, err := json.Marshal(res.StructuredContent)
		if err != nil {
			return fmt.Errorf("encoding the structured content: %w", err)
		}
		fmt.Fprintf(&b, "%s\n", data)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mcpList(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "mcp list")
	st := scriptState(ts, "mcp list", len(args) == 1)
	s := openSession(ts, st, "mcp list", args[0])
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	var b strings.Builder
	for tool, err := range s.cs.Tools(ctx, nil) {
		if err != nil {
			ts.Fatalf("mcp list %s: %v%s", args[0], err, s.stderrNote())
		}
		b.WriteString(tool.Name + "\n")
	}
	io.WriteString(ts.Stdout(), b.String())
}
