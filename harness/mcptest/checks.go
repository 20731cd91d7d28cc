package mcptest

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/owulveryck/gomcptest/harness/conform"
)

func runChecks(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var format string
	fs := flag.NewFlagSet("checks", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&format, "format", "text", "print the list as `FORMAT`: text, json or markdown")
	fs.Usage = usageFunc(fs, "mcptest checks [flags]", `List the checks that mcptest check runs, in the order it runs them: each
check's id, level (MUST or SHOULD), the protocol revisions and transport
it applies to, what it tests and the section of the specification it
enforces. The ids are those that check's --only, --skip and --baseline take.
`)
	positional, _, err := parse(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if len(positional) > 0 {
		fmt.Fprintf(stderr, "mcptest checks: unexpected argument %q\n", positional[0])
		return exitFailure
	}
	var print func(io.Writer, []conform.CheckInfo) error
	switch format {
	case "text":
		print = printChecksText
	case "json":
		print = printChecksJSON
	case "markdown":
		print = printChecksMarkdown
	default:
		fmt.Fprintf(stderr, "mcptest checks: unknown format %q: want text, json or markdown\n", format)
		return exitFailure
	}
	if err := print(stdout, conform.Checks()); err != nil {
		fmt.Fprintf(stderr, "mcptest: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func printChecksText(w io.Writer, checks []conform.CheckInfo) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range checks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Level, revisionRange(c.Revisions), transportName(c.Transport), c.Title)
	}
	return tw.Flush()
}

func printChecksJSON(w io.Writer, checks []conform.CheckInfo) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(checks)
}

// printChecksMarkdown prints the table that README.md holds.
func printChecksMarkdown(w io.Writer, checks []conform.CheckInfo) error {
	fmt.Fprintln(w, "| Check | Level | Revisions | Transport | What it tests | Spec section |\n|---|---|---|---|---|---|")
	for _, c := range checks {
		title := strings.ReplaceAll(c.Title, "|", `\|`)
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | [%s](%s) |\n",
			c.ID, c.Level, revisionRange(c.Revisions), transportName(c.Transport), title, specSection(c.Spec), c.Spec)
	}
	return nil
}

// revisionRange names a list of revisions briefly: "all", "2025-06-18
// on", "2024-11-05 to 2025-03-26", or the list itself when it has gaps.
func revisionRange(revs []string) string {
	if len(revs) == 0 {
		return "none"
	}
	known := conform.Revisions()
	first := slices.Index(known, revs[0])
	contiguous := first >= 0 && first+len(revs) <= len(known) && slices.Equal(known[first:first+len(revs)], revs)
	last := first + len(revs) - 1
	switch {
	case !contiguous:
		return strings.Join(revs, ", ")
	case len(revs) == len(known):
		return "all"
	case len(revs) == 1:
		return revs[0]
	case last == len(known)-1:
		return revs[0] + " on"
	}
	return revs[0] + " to " + revs[len(revs)-1]
}

func transportName(t string) string {
	if t == "" {
		return "both"
	}
	return t
}

// specSection is the short name of a section of the specification: the
// part of its URL after the MCP specification's root, or host#fragment.
func specSection(url string) string {
	if rest, ok := strings.CutPrefix(url, "https://modelcontextprotocol.io/specification/"); ok {
		return rest
	}
	url = strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "www.")
	host, _, _ := strings.Cut(url, "/")
	if _, frag, ok := strings.Cut(url, "#"); ok {
		return host + "#" + frag
	}
	return host
}
