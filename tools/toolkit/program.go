package toolkit

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A Program describes one tool binary.
type Program struct {
	// Name is the binary's name, as users type it; it is also the name the
	// server reports to clients.
	Name string
	// Version is reported to clients; empty means the module version from
	// the build information.
	Version string
	// Summary says in one line what the binary's tools do, for --help.
	Summary string
	// Instructions are sent to clients when they connect (optional).
	Instructions string
	// Example is one call of the binary's main tool, for --help.
	Example Example
	// Environment, if set, lists the variables the binary reads, for
	// --help, one per line and indented, ending in a newline. Hosts that
	// give their tools a minimal environment (openaiserver does) must be
	// told to pass them, so say how.
	Environment string
	// Flags, if set, defines the binary's own flags next to the common ones.
	Flags func(*flag.FlagSet)
	// Register adds the binary's tools to s. It runs after flag parsing, so
	// the values bound in Flags are set; ctx ends when the server stops. It
	// reads the environment through cfg.Getenv, never os.Getenv, so that
	// tests can give it one.
	Register func(ctx context.Context, s *mcp.Server, cfg Config) error
	// Close, if set, runs once the server stopped serving (the client went
	// away, or a signal came), after a Register that succeeded: the tools
	// release what they hold, such as background work and connections.
	// Its error is Run's when serving ended cleanly.
	Close func() error
}

// An Example is a tool call shown in --help.
type Example struct {
	Tool      string // tool name, e.g. "sleep"
	Arguments string // JSON object, e.g. {"seconds":1}
}

// Config is what the common flags configure, handed to [Program.Register].
type Config struct {
	// HTTP is the address to serve streamable HTTP on; empty means stdio.
	HTTP string
	// AuthToken, MaxSessions and SessionIdle configure the HTTP server
	// (see [HTTPOptions]); unused over stdio.
	AuthToken   string
	MaxSessions int
	SessionIdle time.Duration
	// Policy confines file tools to the -root directories. Never nil.
	Policy *Policy
	// MaxOutput is the number of characters a tool returns before it
	// truncates (see [Truncate]); zero or less means no limit.
	MaxOutput int
	// Logger writes to stderr at the -log-level. Never nil.
	Logger *slog.Logger
	// URL is the base URL the binary serves over HTTP, such as
	// "http://127.0.0.1:8080" (the port resolved when -http asked for 0);
	// empty over stdio.
	URL string
	// Routes is where a binary served over HTTP adds its own handlers next
	// to the MCP endpoint (images it made, for instance); nil over stdio.
	Routes *http.ServeMux
	// Getenv reads the program's environment. Never nil.
	Getenv func(string) string
}

// IO holds the streams a program talks through. Over stdio, Stdin and
// Stdout carry the protocol and nothing else; logs go to Stderr.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment the program sees; nil means os.Getenv.
	Getenv func(string) string
}

// errUsage marks an error already reported to stderr by the flag package.
var errUsage = errors.New("usage error")

// Main runs p as the process: it parses os.Args, stops on SIGINT or SIGTERM
// and returns the exit status for os.Exit: 0 on success or --help, 2 on a
// usage error, 1 on any other error, which it prints to stderr.
func Main(p Program) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := Run(ctx, p, os.Args[1:], IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", p.Name, err)
	return 1
}

// Run parses args (without the program name), builds the server, registers
// p's tools and serves until the client goes away (stdin closes) or ctx is
// cancelled, which is a clean stop and returns nil. It returns
// [flag.ErrHelp] after printing the help for -h or --help.
func Run(ctx context.Context, p Program, args []string, stdio IO) error {
	getenv := stdio.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg, err := parseFlags(p, args, stdio.Stderr, getenv)
	if err != nil {
		return err
	}
	cfg.Getenv = getenv
	s := mcp.NewServer(&mcp.Implementation{Name: p.Name, Version: version(p)}, &mcp.ServerOptions{
		Instructions: p.Instructions,
		Logger:       slog.New(sdkHandler{cfg.Logger.Handler()}),
	})
	var ln net.Listener
	if cfg.HTTP != "" {
		// Listen first, so that the tools know their URL when they register.
		if ln, err = listen(ctx, cfg.HTTP); err != nil {
			return err
		}
		defer ln.Close()
		cfg.URL, cfg.Routes = "http://"+ln.Addr().String(), http.NewServeMux()
	}
	if err := p.Register(ctx, s, cfg); err != nil {
		return fmt.Errorf("registering tools: %w", err)
	}
	if ln == nil {
		err = ServeStdio(ctx, s, stdio.Stdin, stdio.Stdout)
	} else {
		err = Serve(ctx, ln, s, &HTTPOptions{
			Logger: cfg.Logger, Routes: cfg.Routes,
			AuthToken: cfg.AuthToken, MaxSessions: cfg.MaxSessions, SessionIdle: cfg.SessionIdle,
		})
	}
	if ctx.Err() != nil {
		err = nil
	}
	if p.Close != nil {
		if cerr := p.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("closing the tools: %w", cerr)
		}
	}
	return err
}

func version(p Program) string {
	if p.Version != "" {
		return p.Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}
