package app

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/backend"
	"github.com/owulveryck/gomcptest/host/server"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// config is everything the server is started with.
type config struct {
	host          string
	port          int
	mcpServers    string
	toolEnv       []string
	withAllEvents bool
	maxSteps      int
	toolTimeout   time.Duration
	maxBody       int64
	corsOrigins   []string
	apiKeys       []string
	logLevel      slog.Level
	logJSON       bool
	// system replaces the default system instruction when systemSet; an
	// empty one turns it off.
	system    string
	systemSet bool
	// metricsAddr, when set, serves /metrics there instead of on the API.
	metricsAddr string
	// memoryLimit is the Go runtime's soft memory limit; 0 leaves it alone.
	memoryLimit int64
	// limits holds the server's limits and allowed hosts; run fills in
	// the rest of the server's options.
	limits server.Options

	backend  backend.Config
	builtins []string
}

// defaultMemoryLimit is the default soft memory limit. A host holds little
// between requests; the limit makes the collector return the memory of a
// burst of large bodies rather than let the heap double past it.
const defaultMemoryLimit = 512 << 20

const usage = `openaiserver serves an OpenAI-compatible chat API (/v1/chat/completions,
/v1/models, /v1/tools) whose model is Gemini, running MCP tools for it.

Usage:
  openaiserver [flags]

The model, chosen by the environment: Vertex AI, the Gemini API, or the
offline model, a built-in deterministic stand-in so that everything works
without a network (it says so in the log and in /v1/models, owned_by
"gomcptest-offline").
%s
Environment:
  PORT                               port (default 8080); -port wins
  HOST                               address to bind (default 127.0.0.1)
  LOG_LEVEL                          DEBUG, INFO, WARN or ERROR (default INFO)
  LOG_FORMAT                         text or json (default text)
  VERTEX_AI_CODE_EXECUTION=true      enable Gemini's built-in tools; they are
  VERTEX_AI_GOOGLE_SEARCH=true       offered to every request that selects no
  VERTEX_AI_GOOGLE_SEARCH_RETRIEVAL=true  tools, and selectable by name:
                                     code_execution, google_search,
                                     google_search_retrieval
  OPENAISERVER_API_KEYS              comma list of bearer tokens /v1/ requires
  CORS_ORIGINS                       comma list of browser origins allowed
  ALLOWED_HOSTS                      comma list of names clients may use in Host
  GOMEMLIMIT                         the Go runtime's soft memory limit (-memory-limit)
  METRICS_ADDR                       where to serve /metrics (-metrics-addr)
  SYSTEM_INSTRUCTION                 the system instruction, instead of the default
                                     (-system-prompt FILE wins)
  TOOL_ENV                           comma list of variables for every MCP server

System instruction: by default the host tells the model the working
directory of its tools, the -root folders given to them, the OS and the
date, before the client's own system messages, so that it can give the
absolute paths the file tools need. SYSTEM_INSTRUCTION or -system-prompt
FILE replaces it; -system-prompt "" turns it off.
Tool selection: a model string "gemini-2.5-flash|LS|View" offers only those
tools for that request; a bare model name offers them all.
Tool environment: MCP servers do not inherit this environment, which holds
the keys above. Each gets only those of
  %s
that are set, those named by -tool-env or TOOL_ENV, those named by bare
upper-case NAME words before the command on its own -mcpservers line, and
the K=V words of that line: "GEMINI_API_KEY bin/imagen;bin/Bash" gives the
key to imagen alone.
Safety: requests must name this server in their Host header (localhost, the
address it binds, or a name of -allowed-hosts: this stops DNS rebinding),
come from its own origin or one of -cors-origins, and send JSON. The
limits below bound what a client can take; SECURITY.md explains each.
Tool events: -withAllEvents, or the request header "X-Tool-Events: true",
add tool_call and tool_response frames to the stream.

Example:
  openaiserver -mcpservers "bin/sleep;bin/LS -root /srv/data;LOG=debug bin/View"

Flags:
`

// parseConfig reads flags and environment. It returns flag.ErrHelp after
// printing the help.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	env := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	cfg := config{host: env("HOST")}
	if cfg.host == "" {
		cfg.host = "127.0.0.1"
	}
	var err error
	if cfg.backend, err = backend.FromEnv(getenv); err != nil {
		return cfg, err
	}
	port := 8080
	if p := env("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return cfg, fmt.Errorf("PORT=%q is not a port number", p)
		}
		port = n
	}
	for name, tool := range map[string]string{
		"VERTEX_AI_CODE_EXECUTION":          "code_execution",
		"VERTEX_AI_GOOGLE_SEARCH":           "google_search",
		"VERTEX_AI_GOOGLE_SEARCH_RETRIEVAL": "google_search_retrieval",
	} {
		if on, _ := strconv.ParseBool(env(name)); on {
			cfg.builtins = append(cfg.builtins, tool)
		}
	}
	slices.Sort(cfg.builtins)
	if err := cfg.logLevel.UnmarshalText([]byte(orDefault(env("LOG_LEVEL"), "INFO"))); err != nil {
		return cfg, fmt.Errorf("LOG_LEVEL: %v", err)
	}
	switch f := strings.ToLower(env("LOG_FORMAT")); f {
	case "", "text":
	case "json":
		cfg.logJSON = true
	default:
		return cfg, fmt.Errorf("LOG_FORMAT=%q: use text or json", f)
	}

	fs := flag.NewFlagSet("openaiserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, usage, backend.Environment, strings.Join(toolbox.BaseEnv(), " "))
		fs.PrintDefaults()
	}
	fs.IntVar(&cfg.port, "port", port, "port to listen on (0 picks a free one)")
	fs.StringVar(&cfg.host, "host", cfg.host, "address to bind; use 0.0.0.0 to serve other machines (set OPENAISERVER_API_KEYS then)")
	fs.StringVar(&cfg.mcpServers, "mcpservers", "", `MCP servers to run, separated by ";": "cmd args;K=V cmd2 'quoted arg';KEY_NAME cmd3;http://host/mcp"`)
	fs.BoolVar(&cfg.withAllEvents, "withAllEvents", false, "stream tool_call and tool_response events on every request")
	fs.IntVar(&cfg.maxSteps, "max-steps", agent.DefaultMaxSteps, "model turns one request may take before the host stops the loop")
	fs.DurationVar(&cfg.toolTimeout, "tool-timeout", 15*time.Minute, "limit of one tool call")
	fs.Int64Var(&cfg.maxBody, "max-body", server.DefaultMaxBodyBytes, "request body limit in bytes")
	cors := fs.String("cors-origins", env("CORS_ORIGINS"), "comma list of browser origins allowed to call the API, besides the server's own")
	toolEnv := fs.String("tool-env", env("TOOL_ENV"), "comma list of host variables passed to every MCP server (see Tool environment)")
	keys := fs.String("api-keys", env("OPENAISERVER_API_KEYS"), "comma list of bearer tokens required on /v1/ (empty: none)")
	hosts := fs.String("allowed-hosts", env("ALLOWED_HOSTS"), `comma list of host names clients may reach the server by, besides localhost and the bound address ("*.example.com" for subdomains)`)
	if v := env("SYSTEM_INSTRUCTION"); v != "" {
		cfg.system, cfg.systemSet = v, true
	}
	fs.Func("system-prompt", "read the system instruction from `FILE` instead of the default (\"\": none)", func(file string) error {
		cfg.systemSet = true
		if file == "" {
			cfg.system = ""
			return nil
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		cfg.system = strings.TrimSpace(string(b))
		return nil
	})
	fs.StringVar(&cfg.metricsAddr, "metrics-addr", env("METRICS_ADDR"), "serve /metrics at `ADDR` (such as 127.0.0.1:9090) with no API key, instead of on the API port behind the API keys")
	memLimit := int64(defaultMemoryLimit)
	if env("GOMEMLIMIT") != "" {
		memLimit = 0 // the runtime has read it already
	}
	fs.Int64Var(&cfg.memoryLimit, "memory-limit", memLimit, "soft memory limit in bytes, after which the garbage collector works harder (0: none; GOMEMLIMIT, when set, wins)")
	lim := &cfg.limits
	fs.Int64Var(&lim.MaxBodyMemory, "max-body-memory", server.DefaultMaxBodyMemory, "bytes of request bodies held at once by all requests; past it, 429")
	fs.IntVar(&lim.MaxConcurrent, "max-concurrent", server.DefaultMaxConcurrent, "chat completions served at once; past it, 429 with Retry-After")
	fs.IntVar(&lim.MaxConnections, "max-conns", server.DefaultMaxConnections, "client connections open at once; past it, new ones are closed")
	fs.IntVar(&lim.MaxToolCalls, "max-tool-calls", agent.DefaultMaxToolCalls, "tool calls one model turn may start; the model is told of the others")
	fs.DurationVar(&lim.ReadTimeout, "read-timeout", server.DefaultReadTimeout, "limit for receiving a request, headers and body")
	fs.DurationVar(&lim.WriteTimeout, "write-timeout", server.DefaultWriteTimeout, "limit of each write to a client: a whole answer, or one frame of a stream")
	fs.DurationVar(&lim.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "how long a keep-alive connection may wait for its next request")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q: see -help", fs.Args())
	}
	if cfg.maxSteps < 1 {
		return cfg, fmt.Errorf("-max-steps must be at least 1")
	}
	for name, v := range map[string]int64{
		"-max-body": cfg.maxBody, "-max-body-memory": lim.MaxBodyMemory, "-max-concurrent": int64(lim.MaxConcurrent),
		"-max-conns": int64(lim.MaxConnections), "-max-tool-calls": int64(lim.MaxToolCalls),
		"-read-timeout": int64(lim.ReadTimeout), "-write-timeout": int64(lim.WriteTimeout), "-idle-timeout": int64(lim.IdleTimeout),
	} {
		if v < 1 {
			return cfg, fmt.Errorf("%s must be positive", name)
		}
	}
	if lim.MaxBodyMemory < cfg.maxBody {
		return cfg, fmt.Errorf("-max-body-memory (%d) must be at least -max-body (%d)", lim.MaxBodyMemory, cfg.maxBody)
	}
	lim.AllowedHosts = list(*hosts)
	cfg.corsOrigins, cfg.apiKeys = list(*cors), list(*keys)
	cfg.toolEnv = list(*toolEnv)
	return cfg, nil
}

func list(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
