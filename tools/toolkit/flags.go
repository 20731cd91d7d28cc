package toolkit

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// parseFlags parses the common flags and p's own, and builds the Config.
func parseFlags(p Program, args []string, stderr io.Writer, getenv func(string) string) (Config, error) {
	var (
		cfg   Config
		roots rootList
		level slog.Level
	)
	fs := flag.NewFlagSet(p.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.HTTP, "http", "", "serve streamable HTTP at `ADDR` (host:port, e.g. 127.0.0.1:8081; port 0 picks a free one) instead of stdio")
	// The token's default is not the environment's value: -help would print it.
	fs.StringVar(&cfg.AuthToken, "auth-token", "", "with -http, require `TOKEN` as \"Authorization: Bearer TOKEN\" on every request (default $"+authTokenEnv+", which keeps the token out of ps)")
	fs.IntVar(&cfg.MaxSessions, "max-sessions", DefaultMaxSessions, "with -http, refuse a new session with 503 while `N` are live (0: no cap)")
	fs.DurationVar(&cfg.SessionIdle, "session-idle", DefaultSessionIdle, "with -http, end a session after `DURATION` without a request, and what its tools hold for it (0: never)")
	fs.Var(&roots, "root", "confine file paths to `DIR` (repeatable; default: no confinement)")
	fs.IntVar(&cfg.MaxOutput, "max-output", DefaultMaxOutput, "truncate a tool's output after `N` characters (0: no limit)")
	fs.TextVar(&level, "log-level", slog.LevelInfo, "log to stderr at `LEVEL`: debug, info, warn or error")
	if p.Flags != nil {
		p.Flags(fs)
	}
	fs.Usage = func() { usage(fs, p) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return Config{}, err
		}
		return Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q (run %s -help)\n", p.Name, fs.Arg(0), p.Name)
		return Config{}, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if cfg.AuthToken == "" {
		cfg.AuthToken = getenv(authTokenEnv)
	}
	if err := checkHTTPFlags(cfg); err != nil {
		fmt.Fprintf(stderr, "%s: %v (run %s -help)\n", p.Name, err, p.Name)
		return Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	policy, err := NewPolicy(roots)
	if err != nil {
		fmt.Fprintf(stderr, "%s: -root: %v\n", p.Name, err)
		return Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg.Policy = policy
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	return cfg, nil
}

// authTokenEnv is the environment variable that gives -auth-token.
const authTokenEnv = "MCP_AUTH_TOKEN"

// checkHTTPFlags reports the values of the -http flags that cannot work.
func checkHTTPFlags(cfg Config) error {
	switch {
	case cfg.MaxSessions < 0:
		return fmt.Errorf("-max-sessions %d: want 0 (no cap) or more", cfg.MaxSessions)
	case cfg.SessionIdle < 0:
		return fmt.Errorf("-session-idle %v: want 0 (never) or more", cfg.SessionIdle)
	case strings.IndexFunc(cfg.AuthToken, func(r rune) bool { return r <= ' ' || r == 0x7f }) >= 0:
		// A client could not send it in a header, or would send another.
		return errors.New("-auth-token: the token must not contain spaces or control characters")
	}
	return nil
}

// rootList is the repeatable -root flag.
type rootList []string

func (r *rootList) String() string { return strings.Join(*r, ",") }

func (r *rootList) Set(dir string) error {
	*r = append(*r, dir)
	return nil
}

// usage prints the help: what the binary is, how to run it, its flags and
// how to use it from openaiserver and mcptest.
func usage(fs *flag.FlagSet, p Program) {
	w := fs.Output()
	fmt.Fprintf(w, "%s: an MCP server that %s.\n\n", p.Name, p.Summary)
	fmt.Fprintf(w, "Usage:\n  %s [flags]\n\n", p.Name)
	fmt.Fprintf(w, "By default it speaks MCP on stdin/stdout, as a client that starts it\n")
	fmt.Fprintf(w, "expects; logs go to stderr and it exits when stdin closes. With -http it\n")
	fmt.Fprintf(w, "serves streamable HTTP at http://ADDR/mcp instead and logs the URL. Over\n")
	fmt.Fprintf(w, "HTTP anyone who can reach ADDR can call the tools: without a token, keep\n")
	fmt.Fprintf(w, "ADDR on 127.0.0.1 (it warns otherwise); with one, only clients that send it\n")
	fmt.Fprintf(w, "get in, to /mcp and to the other paths the binary serves alike.\n\n")
	fmt.Fprintf(w, "Flags:\n")
	fs.PrintDefaults()
	if p.Environment != "" {
		fmt.Fprintf(w, "\nEnvironment:\n%s", p.Environment)
	}
	fmt.Fprintf(w, "\nExamples:\n")
	fmt.Fprintf(w, "  # give the tools to the model of openaiserver (servers separated by ';')\n")
	fmt.Fprintf(w, "  openaiserver -mcpservers \"/path/to/%s\"\n\n", p.Name)
	fmt.Fprintf(w, "  # list the tools, then call one, over stdio\n")
	fmt.Fprintf(w, "  mcptest list -- /path/to/%s\n", p.Name)
	if ex := p.Example; ex.Tool != "" {
		fmt.Fprintf(w, "  mcptest call %s '%s' -- /path/to/%s\n", ex.Tool, ex.Arguments, p.Name)
	}
	fmt.Fprintf(w, "\n  # the same over HTTP\n")
	fmt.Fprintf(w, "  %s -http 127.0.0.1:8081 &\n", p.Name)
	fmt.Fprintf(w, "  mcptest list --url http://127.0.0.1:8081/mcp\n\n")
	fmt.Fprintf(w, "  # over HTTP with a token (mcptest reads %s too)\n", authTokenEnv)
	fmt.Fprintf(w, "  export %s=$(openssl rand -hex 32)\n", authTokenEnv)
	fmt.Fprintf(w, "  %s -http 127.0.0.1:8081 &\n", p.Name)
	fmt.Fprintf(w, "  mcptest list --url http://127.0.0.1:8081/mcp\n")
}
