package toolboxclient

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// config is the command's configuration.
type config struct {
	server  string
	call    string
	args    string
	timeout time.Duration
	verbose bool
}

// errUsage marks errors in the command line, which exit with status 2.
var errUsage = errors.New("usage: toolboxclient [-call NAME [-args JSON]] [-timeout D] [-v] SERVER")

// Main runs the command with the process's arguments and returns its exit
// code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], os.Stdout, os.Stderr)
}

// run is Main with its inputs and outputs made explicit.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	level := slog.LevelWarn
	if cfg.verbose {
		level = slog.LevelInfo
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := connect(ctx, cfg, stdout, logger); err != nil {
		fmt.Fprintf(stderr, "toolboxclient: %v\n", err)
		return 1
	}
	return 0
}

func parse(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("toolboxclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.call, "call", "", "call this tool after listing the tools")
	fs.StringVar(&cfg.args, "args", "{}", "the call's arguments, a JSON object")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "bound on the whole session")
	fs.BoolVar(&cfg.verbose, "v", false, "log the toolbox's events and the server's stderr")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() != 1 {
		return cfg, errUsage
	}
	cfg.server = fs.Arg(0)
	if cfg.call != "" && !json.Valid([]byte(cfg.args)) {
		return cfg, fmt.Errorf("-args: not valid JSON: %s", cfg.args)
	}
	return cfg, nil
}

// connect lists the server's tools and makes the call cfg asks for.
func connect(ctx context.Context, cfg config, out io.Writer, logger *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	specs, err := toolbox.ParseSpec(cfg.server)
	if err != nil {
		return fmt.Errorf("reading server %q: %w", cfg.server, err)
	}
	tb, err := toolbox.New(ctx, specs, &toolbox.Options{Logger: logger, ClientName: "toolboxclient"})
	if err != nil {
		return err
	}
	defer tb.Close()
	for _, t := range tb.Tools() {
		fmt.Fprintf(out, "%s\t%s\n", t.Name, t.Description)
	}
	if cfg.call == "" {
		return nil
	}
	res, err := tb.Call(ctx, cfg.call, json.RawMessage(cfg.args))
	if err != nil {
		return err
	}
	for _, c := range res.Content {
		fmt.Fprintln(out, describe(c))
	}
	if res.IsError {
		return fmt.Errorf("tool %q failed", cfg.call)
	}
	return nil
}

// describe renders one content item on a line: text as is, anything else
// by its kind.
func describe(c mcp.Content) string {
	switch c := c.(type) {
	case *mcp.TextContent:
		return c.Text
	case *mcp.ImageContent:
		return fmt.Sprintf("[image %s, %d bytes]", c.MIMEType, len(c.Data))
	case *mcp.AudioContent:
		return fmt.Sprintf("[audio %s, %d bytes]", c.MIMEType, len(c.Data))
	case *mcp.EmbeddedResource:
		return fmt.Sprintf("[resource %s]", c.Resource.URI)
	case *mcp.ResourceLink:
		return fmt.Sprintf("[link %s]", c.URI)
	default:
		return fmt.Sprintf("[%T]", c)
	}
}
