package mcptest

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func runCall(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f targetFlags
	fs := flag.NewFlagSet("call", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs)
	fs.Usage = usageFunc(fs, "mcptest call [flags] TOOL ['{JSON arguments}'] [TOOL ['{JSON arguments}']...] (-- command [args...] | --url URL)", `Call TOOL with the arguments, a JSON object (default {}), and print the
result: text as text, an image or audio as a line such as
[image image/png, 1234 bytes], a resource by its URI, and the structured
content as indented JSON when there is no other content. With --json, print
the whole result as the server sent it (content, structuredContent, isError).

Several TOOL ['{JSON arguments}'] pairs make several calls, in order, in one
session, which is how to test a tool that keeps state per session (the
persistent shell of Bash): the results are printed one after the other, and
every call is made even if an earlier one reports an error.

Exit status: 0 on success, 1 when a tool reports an error (the result is
printed all the same), 2 when a call could not be made.
`)
	positional, command, err := parse(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	calls, err := parseCalls(positional)
	if err != nil {
		fmt.Fprintf(stderr, "mcptest call: %v\n", err)
		return exitFailure
	}

	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	cs, ok := connect(ctx, f.target(command, stderr), nil, stderr)
	if !ok {
		return exitFailure
	}
	defer cs.Close()
	status := exitOK
	for _, params := range calls {
		res, err := cs.CallTool(ctx, params)
		if err != nil {
			report(ctx, stderr, fmt.Errorf("tool %s: %w", params.Name, err))
			return exitFailure
		}
		if f.json {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(res); err != nil {
				fmt.Fprintf(stderr, "mcptest: %v\n", err)
				return exitFailure
			}
		} else {
			printResult(stdout, res)
		}
		if res.IsError {
			fmt.Fprintf(stderr, "mcptest: tool %s reported an error\n", params.Name)
			status = exitToolError
		}
	}
	return status
}

// toolName matches what can be a tool's name, as opposed to its JSON
// arguments.
var toolName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// parseCalls reads TOOL [ARGS] pairs: an argument after a tool's name is
// its arguments unless it could be a tool's name itself.
func parseCalls(positional []string) ([]*mcp.CallToolParams, error) {
	if len(positional) == 0 {
		return nil, errors.New("want TOOL and optional JSON arguments, got no arguments (is the server command after --?)")
	}
	var calls []*mcp.CallToolParams
	for i := 0; i < len(positional); i++ {
		name := positional[i]
		if !toolName.MatchString(name) {
			return nil, fmt.Errorf("%q is not a tool name: want TOOL then optional JSON arguments (is the server command after --?)", name)
		}
		params := &mcp.CallToolParams{Name: name, Arguments: map[string]any{}}
		if i+1 < len(positional) && !toolName.MatchString(positional[i+1]) {
			i++
			var arguments map[string]any
			if err := json.Unmarshal([]byte(positional[i]), &arguments); err != nil || arguments == nil {
				return nil, fmt.Errorf("arguments %q: want a JSON object such as '{\"seconds\":1}'", positional[i])
			}
			params.Arguments = arguments
		}
		calls = append(calls, params)
	}
	return calls, nil
}

// printResult prints the content for a person: text as is, binary content
// as a one-line summary, and the structured content when nothing else was
// sent.
func printResult(w io.Writer, res *mcp.CallToolResult) {
	for _, c := range res.Content {
		switch c := c.(type) {
		case *mcp.TextContent:
			fmt.Fprint(w, c.Text)
			if !strings.HasSuffix(c.Text, "\n") {
				fmt.Fprintln(w)
			}
		case *mcp.ImageContent:
			fmt.Fprintf(w, "[image %s, %d bytes]\n", c.MIMEType, len(c.Data))
		case *mcp.AudioContent:
			fmt.Fprintf(w, "[audio %s, %d bytes]\n", c.MIMEType, len(c.Data))
		case *mcp.ResourceLink:
			fmt.Fprintf(w, "[resource link %s]\n", c.URI)
		case *mcp.EmbeddedResource:
			printResource(w, c.Resource)
		default:
			fmt.Fprintf(w, "[%T]\n", c)
		}
	}
	if len(res.Content) == 0 && res.StructuredContent != nil {
		data, err := json.MarshalIndent(res.StructuredContent, "", "  ")
		if err != nil {
			fmt.Fprintf(w, "[structured content: %v]\n", err)
			return
		}
		fmt.Fprintf(w, "%s\n", data)
	}
}

func printResource(w io.Writer, r *mcp.ResourceContents) {
	switch {
	case r == nil:
		fmt.Fprintln(w, "[empty resource]")
	case r.Blob != nil:
		fmt.Fprintf(w, "[resource %s %s, %d bytes]\n", r.URI, r.MIMEType, len(r.Blob))
	default:
		fmt.Fprintf(w, "[resource %s]\n%s", r.URI, r.Text)
		if !strings.HasSuffix(r.Text, "\n") {
			fmt.Fprintln(w)
		}
	}
}
