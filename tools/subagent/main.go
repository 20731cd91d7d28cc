package subagent

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the sub-agent MCP server binary with the process's arguments
// and environment and returns its exit code.
func Main() int {
	var (
		f       flags
		svc     *Service
		store   *RedisStore
		program = toolkit.Program{
			Name:         "sub-agent",
			Summary:      "sends chat completions to any OpenAI-compatible endpoint, now or as background jobs kept in memory or shared through Redis (tools: sub_agent_send, sub_agent_list, sub_agent_get_result, sub_agent_cancel)",
			Instructions: "sub_agent_send hands a self-contained task to another model; with background true it returns a task_id to fetch later with sub_agent_get_result.",
			Example:      toolkit.Example{Tool: "sub_agent_send", Arguments: `{"message":"Say hello"}`},
			Environment:  environment,
			Flags:        f.bind,
		}
	)
	program.Register = func(ctx context.Context, s *mcp.Server, cfg toolkit.Config) error {
		ep, opts, err := f.config(cfg.Getenv)
		if err != nil {
			return err
		}
		opts.Logger = cfg.Logger
		if cfg.Routes != nil {
			// Served over HTTP: the jobs' metrics too, behind -auth-token
			// like /mcp.
			m := NewMetrics()
			cfg.Routes.Handle("GET /metrics", m.Handler())
			opts.Observer = m
		}
		where := "memory"
		if f.store != "memory" {
			ctx, cancel := context.WithTimeout(ctx, connectTimeout)
			defer cancel()
			store, err = NewRedisStore(ctx, f.store, &RedisOptions{TTL: opts.TTL, Lease: f.lease, Logger: cfg.Logger})
			if err != nil {
				return err
			}
			opts.Store, where = store, redactURL(f.store)
		}
		cfg.Logger.Info("sub-agent endpoint", "base_url", ep.BaseURL, "model", ep.Model, "api_key_set", ep.APIKey != "",
			"ttl", opts.TTL, "max_jobs", opts.MaxJobs, "store", where)
		svc = New(ep, opts)
		Register(s, svc)
		return nil
	}
	program.Close = func() error {
		svc.Close() // releases the running jobs to the store
		if store != nil {
			return store.Close()
		}
		return nil
	}
	return toolkit.Main(program)
}

// connectTimeout bounds the first connection to Redis.
const connectTimeout = 10 * time.Second

// environment is what -help says of the variables read.
const environment = `  OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY
                     the endpoint (default https://api.openai.com/v1 and
                     gpt-3.5-turbo; a local endpoint may need no key)
  SUBAGENT_STORE, SUBAGENT_LEASE, TTL, CLEANUP_INTERVAL, MAX_JOBS, REQUEST_TIMEOUT
                     the defaults of -store, -lease, -ttl, -cleanup-interval,
                     -max-jobs and -request-timeout
openaiserver gives its tools a minimal environment, without keys: name what
sub-agent needs before it on its -mcpservers line, such as
  openaiserver -mcpservers "OPENAI_BASE_URL OPENAI_API_KEY SUBAGENT_STORE /path/to/sub-agent"
Replicas that name one Redis in -store share their jobs: a job sent through
one is listed, fetched and cancelled through any, and run by one of them.
`

// redactURL hides the password of a Redis URL, for the log.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(a Redis URL)"
	}
	return u.Redacted()
}

// flags are the command's own flags; each one's environment variable is
// the default, and the package default when that is unset.
type flags struct {
	ttl, cleanup, timeout, lease time.Duration
	maxJobs                      int
	store                        string
}

func (f *flags) bind(fs *flag.FlagSet) {
	fs.DurationVar(&f.ttl, "ttl", 0, "keep a finished job's result for `D` (env TTL; default 1h)")
	fs.DurationVar(&f.cleanup, "cleanup-interval", 0, "evict expired jobs every `D` (env CLEANUP_INTERVAL; default 1m)")
	fs.IntVar(&f.maxJobs, "max-jobs", 0, "run at most `N` background jobs at once, queueing the others (env MAX_JOBS; default 16)")
	fs.DurationVar(&f.timeout, "request-timeout", 0, "give up on a request to the endpoint after `D` (env REQUEST_TIMEOUT; default 5m)")
	fs.StringVar(&f.store, "store", "", "keep the background jobs in `STORE`: memory (this process only), or redis://HOST:PORT/DB, shared by every sub-agent that names it (rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB) (env SUBAGENT_STORE; default memory)")
	fs.DurationVar(&f.lease, "lease", 0, "with a Redis store, give a running job to another sub-agent when its worker has not renewed it for `D` (it died) (env SUBAGENT_LEASE; default 30s)")
}

// config reads the endpoint from the environment and the options from the
// flags, falling back to the environment; it settles f.store and f.lease.
func (f *flags) config(getenv func(string) string) (Endpoint, *Options, error) {
	ep := Endpoint{BaseURL: getenv("OPENAI_BASE_URL"), Model: getenv("OPENAI_MODEL"), APIKey: getenv("OPENAI_API_KEY")}
	if ep.BaseURL == "" {
		ep.BaseURL = DefaultBaseURL
	}
	if ep.Model == "" {
		ep.Model = DefaultModel
	}
	opts := &Options{TTL: f.ttl, CleanupInterval: f.cleanup, RequestTimeout: f.timeout, MaxJobs: f.maxJobs}
	durations := []struct {
		name string
		dst  *time.Duration
	}{{"TTL", &opts.TTL}, {"CLEANUP_INTERVAL", &opts.CleanupInterval}, {"REQUEST_TIMEOUT", &opts.RequestTimeout}, {"SUBAGENT_LEASE", &f.lease}}
	for _, d := range durations {
		v := getenv(d.name)
		if *d.dst != 0 || v == "" {
			continue
		}
		n, err := time.ParseDuration(v)
		if err != nil || n <= 0 {
			return ep, nil, fmt.Errorf("%s=%q is not a positive Go duration such as 90s or 2h", d.name, v)
		}
		*d.dst = n
	}
	if v := getenv("MAX_JOBS"); opts.MaxJobs == 0 && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return ep, nil, fmt.Errorf("MAX_JOBS=%q is not a positive number", v)
		}
		opts.MaxJobs = n
	}
	if opts.TTL == 0 {
		opts.TTL = DefaultTTL
	}
	if f.store == "" {
		f.store = getenv("SUBAGENT_STORE")
	}
	switch {
	case f.store == "" || f.store == "memory":
		f.store = "memory"
	case strings.HasPrefix(f.store, "redis://") || strings.HasPrefix(f.store, "rediss://"):
	default:
		return ep, nil, fmt.Errorf("-store %q: want memory, or a Redis URL such as redis://127.0.0.1:6379/0", redactURL(f.store))
	}
	if opts.MaxJobs == 0 {
		opts.MaxJobs = DefaultMaxJobs
	}
	return ep, opts, nil
}
