package toolbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/host/llm"
)

// ErrUnknownTool is returned (wrapped) by [Toolbox.Call] for a name that is
// not one of [Toolbox.Tools].
var ErrUnknownTool = errors.New("unknown tool")

// ErrClosed is returned (wrapped) by [Toolbox.Call] after [Toolbox.Close].
var ErrClosed = errors.New("toolbox closed")

// Options configure a [Toolbox]. A nil *Options means all defaults.
type Options struct {
	// Logger receives the servers' stderr, line by line (INFO "server
	// stderr", rate-limited: see StderrBurst), and lifecycle events, each
	// with a "server" attribute. Nil discards them.
	Logger *slog.Logger
	// CallTimeout bounds each tool call; zero means 5 minutes.
	CallTimeout time.Duration
	// StartTimeout bounds starting a server and its MCP handshake, and
	// listing its tools; zero means 30 seconds.
	StartTimeout time.Duration
	// ClientName and ClientVersion are what the host tells servers it is;
	// empty means "gomcptest" and "dev".
	ClientName, ClientVersion string
	// HTTPClient dials streamable HTTP servers; nil means
	// http.DefaultClient.
	HTTPClient *http.Client

	// Environ returns the host's environment as "K=V" entries; nil means
	// os.Environ. A stdio server does not inherit it: it gets the
	// variables of [BaseEnv], those named in PassEnv, those named in its
	// [ServerSpec.Pass], then its [ServerSpec.Env]. New reads Environ
	// once; restarted servers get the same environment.
	Environ func() []string
	// PassEnv names host variables passed to every stdio server. A name
	// here or in a ServerSpec.Pass that the host has not set is logged as
	// a warning by New.
	PassEnv []string

	// StderrBurst and StderrRate bound the stderr lines of one server that
	// reach Logger: a burst of StderrBurst lines, then StderrRate lines a
	// second. Lines over the limit are dropped from the log (not from the
	// tail a start error quotes) and counted; a WARN "dropped stderr
	// lines" gives the count when logging resumes and when the process
	// exits. Zero means 100 lines and 10 lines a second.
	StderrBurst int
	StderrRate  float64
	// Now is the clock of the stderr limit; nil means time.Now.
	Now func() time.Time
}

// A Tool is a tool of one of the toolbox's servers. Its llm.Tool is the
// declaration the model gets: Name is unique in the toolbox and matches
// ^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$, and Parameters is the tool's JSON Schema
// for its arguments, as the server sent it.
type Tool struct {
	llm.Tool
	// Server names the server offering the tool.
	Server string
	// Original is the tool's name on its server.
	Original string
}

// A Toolbox holds the MCP servers of the host and calls their tools.
// It is safe for concurrent use; calls to one server run concurrently.
type Toolbox struct {
	servers     []*server
	tools       []Tool
	byName      map[string]int // index in tools
	serverOf    map[string]*server
	callTimeout time.Duration

	bg   context.Context // ends at Close; for background restarts
	stop context.CancelFunc
	wg   sync.WaitGroup // background restarts

	mu     sync.Mutex // guards closed and Add on wg
	closed bool
}

// New starts or connects to every server of specs concurrently, and lists
// all their tools. If any server cannot start, New stops the others and
// returns an error naming each failed server, with the end of its stderr.
// The caller must Close the returned Toolbox.
func New(ctx context.Context, specs []ServerSpec, opts *Options) (*Toolbox, error) {
	o := withDefaults(opts)
	if err := checkNames(o.PassEnv); err != nil {
		return nil, fmt.Errorf("variables to pass to every server: %w", err)
	}
	names := serverNames(specs)
	for i, spec := range specs {
		if err := checkNames(spec.Pass); err != nil {
			return nil, fmt.Errorf("variables to pass to server %q: %w", names[i], err)
		}
	}
	host := newHostEnv(o.Environ())
	common, missing := host.pass(o.PassEnv)
	if len(missing) > 0 {
		o.Logger.Warn("variables to pass to every server are not set", "names", missing)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: o.ClientName, Version: o.ClientVersion}, nil)
	servers := make([]*server, len(specs))
	for i, spec := range specs {
		s, err := newServer(names[i], spec, client, &o, host, common)
		if err != nil {
			return nil, err
		}
		servers[i] = s
	}

	lists := make([][]*mcp.Tool, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, s := range servers {
		wg.Go(func() { lists[i], errs[i] = s.open(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, s := range servers {
			s.close()
		}
		return nil, err
	}
	tb := &Toolbox{
		servers:     servers,
		byName:      make(map[string]int),
		serverOf:    make(map[string]*server),
		callTimeout: o.CallTimeout,
	}
	tb.bg, tb.stop = context.WithCancel(context.Background())
	if err := tb.register(names, lists, o.Logger); err != nil {
		tb.Close()
		return nil, err
	}
	return tb, nil
}

// withDefaults returns opts with every zero field set to its default.
func withDefaults(opts *Options) Options {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = 5 * time.Minute
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 30 * time.Second
	}
	if o.ClientName == "" {
		o.ClientName = "gomcptest"
	}
	if o.ClientVersion == "" {
		o.ClientVersion = "dev"
	}
	if o.Environ == nil {
		o.Environ = os.Environ
	}
	if o.StderrBurst <= 0 {
		o.StderrBurst = 100
	}
	if o.StderrRate <= 0 {
		o.StderrRate = 10
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// newServer prepares the server of spec, not started yet: its
// environment, or for a URL server its HTTP client with the bearer token
// its line names.
func newServer(name string, spec ServerSpec, client *mcp.Client, o *Options, host hostEnv, common []string) (*server, error) {
	s := &server{
		name:         name,
		spec:         spec,
		client:       client,
		httpClient:   o.HTTPClient,
		log:          o.Logger.With("server", name),
		startTimeout: o.StartTimeout,
		stderrLimit:  newBucket(o.StderrBurst, o.StderrRate, o.Now),
		lock:         make(chan struct{}, 1),
	}
	if spec.TokenEnv != "" {
		token, ok := host.vars[spec.TokenEnv]
		if !ok || token == "" {
			return nil, fmt.Errorf("server %q: %s, which should hold its bearer token, is not set", name, spec.TokenEnv)
		}
		s.httpClient = withBearer(o.HTTPClient, token)
	}
	if spec.URL == "" {
		own, missing := host.pass(spec.Pass)
		if len(missing) > 0 {
			s.log.Warn("variables to pass to the server are not set", "names", missing)
		}
		s.env = slices.Concat(host.base, common, own, spec.Env)
	}
	return s, nil
}

// register names the tools each server listed, unique across servers, and
// makes them callable.
func (tb *Toolbox) register(names []string, lists [][]*mcp.Tool, logger *slog.Logger) error {
	originals := make([][]string, len(lists))
	for i, list := range lists {
		for _, t := range list {
			originals[i] = append(originals[i], t.Name)
		}
	}
	final := toolNames(names, originals)
	for i, list := range lists {
		for j, t := range list {
			schema, err := json.Marshal(t.InputSchema)
			if err != nil {
				return fmt.Errorf("encoding input schema of tool %q of server %q: %w", t.Name, names[i], err)
			}
			tool := Tool{
				Tool:     llm.Tool{Name: final[i][j], Description: t.Description, Parameters: schema},
				Server:   names[i],
				Original: t.Name,
			}
			tb.byName[tool.Name] = len(tb.tools)
			tb.serverOf[tool.Name] = tb.servers[i]
			tb.tools = append(tb.tools, tool)
			logger.Info("registered tool", "server", names[i], "tool", tool.Name, "original", t.Name)
		}
	}
	return nil
}

// open makes the first connection to s and lists its tools.
func (s *server) open(ctx context.Context) ([]*mcp.Tool, error) {
	c, err := s.start(ctx)
	if err != nil {
		return nil, err
	}
	s.adopt(c)
	s.log.Info("server started")
	return s.list(ctx, c)
}

// Tools returns every tool, in the order of the servers, then the order in
// which each server listed them. The caller may modify the slice.
func (tb *Toolbox) Tools() []Tool {
	return append([]Tool(nil), tb.tools...)
}

// Tool returns the tool with the given toolbox name.
func (tb *Toolbox) Tool(name string) (Tool, bool) {
	i, ok := tb.byName[name]
	if !ok {
		return Tool{}, false
	}
	return tb.tools[i], true
}

// Call calls the tool with the given toolbox name and JSON object
// arguments (empty or null means none). A tool that fails returns a result
// with IsError set and a nil error; the error is for calls that did not
// complete: an unknown name ([ErrUnknownTool]), the per-call timeout,
// the cancellation of ctx (which is forwarded to the server), or the
// death of the server. A dead server is restarted in the background, so a
// later call can succeed.
func (tb *Toolbox) Call(ctx context.Context, name string, args json.RawMessage) (*mcp.CallToolResult, error) {
	i, ok := tb.byName[name]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownTool, name)
	}
	tool, s := tb.tools[i], tb.serverOf[name]
	params := &mcp.CallToolParams{Name: tool.Original}
	if len(args) > 0 && string(args) != "null" {
		if !json.Valid(args) {
			return nil, fmt.Errorf("calling tool %q: arguments are not valid JSON", name)
		}
		params.Arguments = args
	}
	ctx, cancel := context.WithTimeoutCause(ctx, tb.callTimeout,
		fmt.Errorf("timed out after %v: %w", tb.callTimeout, context.DeadlineExceeded))
	defer cancel()

	c, err := s.session(ctx)
	if err != nil {
		return nil, fmt.Errorf("calling tool %q: %w", name, err)
	}
	res, err := c.CallTool(ctx, params)
	switch {
	case err == nil:
		return res, nil
	case ctx.Err() != nil:
		return nil, fmt.Errorf("calling tool %q of server %q: %w", name, s.name, context.Cause(ctx))
	case died(c, err):
		tb.restart(s, c)
		return nil, fmt.Errorf("calling tool %q: server %q died during the call (restarting it): %w", name, s.name, err)
	default:
		return nil, fmt.Errorf("calling tool %q of server %q: %w", name, s.name, err)
	}
}

// restart replaces the dead session c of s in the background.
func (tb *Toolbox) restart(s *server, c *session) {
	s.log.Warn("server died during a call")
	s.forget(c)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if tb.closed {
		return
	}
	tb.wg.Go(func() {
		c.Close() // reaps the process
		if _, err := s.session(tb.bg); err != nil && tb.bg.Err() == nil {
			s.log.Warn("server not restarted; next call will retry", "error", err)
		}
	})
}

// The states of a server, in [ServerStatus].
const (
	// StateRunning: connected; calls go through.
	StateRunning = "running"
	// StateRestarting: it died and is being started again.
	StateRestarting = "restarting"
	// StateFailed: it died, or its last restart failed (Error says why);
	// the next call starts it again.
	StateFailed = "failed"
	// StateClosed: the toolbox is closed.
	StateClosed = "closed"
)

// A ServerStatus is the state of one server of the toolbox.
type ServerStatus struct {
	Name     string `json:"name"`
	State    string `json:"state"`
	Restarts int    `json:"restarts"`
	// Error is the error of the last restart, when it failed.
	Error string `json:"error,omitempty"`
}

// Status returns the state of every server, in the order of the specs.
func (tb *Toolbox) Status() []ServerStatus {
	out := make([]ServerStatus, len(tb.servers))
	for i, s := range tb.servers {
		out[i] = s.status()
	}
	return out
}

// Close stops every server (closing stdin, then signalling processes that
// do not exit) and waits for them. Calls after Close return [ErrClosed].
// Closing twice returns nil the second time.
func (tb *Toolbox) Close() error {
	tb.mu.Lock()
	closed := tb.closed
	tb.closed = true
	tb.mu.Unlock()
	if closed {
		return nil
	}
	tb.stop()
	var errs []error
	for _, s := range tb.servers {
		errs = append(errs, s.close())
	}
	tb.wg.Wait()
	return errors.Join(errs...)
}
