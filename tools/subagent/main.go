package subagent

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/tools/toolkit"
)

// Main runs the sub-agent MCP server binary with the process's arguments
// and environment and returns its exit code.
func Main() int {
	var f flags
	return toolkit.Main(toolkit.Program{
		Name:         "sub-agent",
		Summary:      "sends chat completions to any OpenAI-compatible endpoint, now or as background jobs (tools: sub_agent_send, sub_agent_list, sub_agent_get_result, sub_agent_cancel); configured by OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY and TTL",
		Instructions: "sub_agent_send hands a self-contained task to another model; with background true it returns a task_id to fetch later with sub_agent_get_result.",
		Example:      toolkit.Example{Tool: "sub_agent_send", Arguments: `{"message":"Say hello"}`},
		Flags:        f.bind,
		Register: func(_ context.Context, s *mcp.Server, cfg toolkit.Config) error {
			ep, opts, err := f.config(cfg.Getenv)
			if err != nil {
				return err
			}
			opts.Logger = cfg.Logger
			cfg.Logger.Info("sub-agent endpoint", "base_url", ep.BaseURL, "model", ep.Model, "api_key_set", ep.APIKey != "",
				"ttl", opts.TTL, "max_jobs", opts.MaxJobs)
			Register(s, New(ep, opts))
			return nil
		},
	})
}

// flags are the command's own flags; each one's environment variable is
// the default, and the package default when that is unset.
type flags struct {
	ttl, cleanup, timeout time.Duration
	maxJobs               int
}

func (f *flags) bind(fs *flag.FlagSet) {
	fs.DurationVar(&f.ttl, "ttl", 0, "keep a finished job's result for `D` (env TTL; default 1h)")
	fs.DurationVar(&f.cleanup, "cleanup-interval", 0, "evict expired jobs every `D` (env CLEANUP_INTERVAL; default 1m)")
	fs.IntVar(&f.maxJobs, "max-jobs", 0, "run at most `N` background jobs at once, queueing the others (env MAX_JOBS; default 16)")
	fs.DurationVar(&f.timeout, "request-timeout", 0, "give up on a request to the endpoint after `D` (env REQUEST_TIMEOUT; default 5m)")
}

// config reads the endpoint from the environment and the options from the
// flags, falling back to the environment.
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
	}{{"TTL", &opts.TTL}, {"CLEANUP_INTERVAL", &opts.CleanupInterval}, {"REQUEST_TIMEOUT", &opts.RequestTimeout}}
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
	if opts.MaxJobs == 0 {
		opts.MaxJobs = DefaultMaxJobs
	}
	return ep, opts, nil
}
