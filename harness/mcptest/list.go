package mcptest

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func runList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f targetFlags
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.register(fs)
	fs.Usage = usageFunc(fs, "mcptest list [flags] (-- command [args...] | --url URL)", `List the tools of a server: each tool's name and the first line of its
description, or with --json every tool in full (input and output schemas,
annotations), following every page of the list.
`)
	positional, command, err := parse(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if len(positional) > 0 {
		fmt.Fprintf(stderr, "mcptest list: unexpected argument %q (is the server command after --?)\n", positional[0])
		return exitFailure
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	cs, ok := connect(ctx, f.target(command, stderr), nil, stderr)
	if !ok {
		return exitFailure
	}
	defer cs.Close()

	var tools []*mcp.Tool
	for tool, err := range cs.Tools(ctx, nil) {
		if err != nil {
			report(ctx, stderr, fmt.Errorf("listing tools: %w", err))
			return exitFailure
		}
		tools = append(tools, tool)
	}
	if f.json {
		if tools == nil {
			tools = []*mcp.Tool{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(tools); err != nil {
			fmt.Fprintf(stderr, "mcptest: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
	for _, tool := range tools {
		first, _, _ := strings.Cut(strings.TrimSpace(tool.Description), "\n")
		fmt.Fprintf(tw, "%s\t%s\n", tool.Name, first)
	}
	tw.Flush()
	return exitOK
}
