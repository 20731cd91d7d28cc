package conform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"sync"
	"time"

	"github.com/owulveryck/gomcptest/harness/target"
)

const (
	defaultTimeout = 5 * time.Second
	defaultSamples = 20
)

// Options configures [Check]. A nil *Options means the defaults.
type Options struct {
	// Revision is the protocol revision of the main session; empty means
	// the newest that the server accepts through initialize.
	Revision string
	// Only and Skip select checks by id; entries are path.Match patterns
	// ("tools-*"). Empty Only means every check.
	Only, Skip []string
	// CallTools allows calling every tool, with generated arguments
	// and with invalid ones. Without it, tools are called only when named
	// in AllowTools, and the others are judged at schema level only:
	// calling a tool may change the user's machine.
	CallTools  bool
	AllowTools []string
	// ClientCaps are the client capabilities the checker declares (see
	// [ClientCapabilities]); it answers the server's requests for them
	// with canned, valid answers and checks their shape. Empty declares
	// none, and a server request that needs one is a finding.
	ClientCaps []string
	// Timeout bounds each exchange; zero means 5s.
	Timeout time.Duration
	// Samples is how many pings the timing measures; zero means 20.
	Samples int
	// HTTPClient talks to a URL target; nil means a default client.
	HTTPClient *http.Client
	Logger     *slog.Logger
}

// ErrUnreachable wraps the error of a target that could not be run or
// did not complete the handshake: nothing could be checked.
var ErrUnreachable = errors.New("target unreachable")

// Check runs the checks on the target and returns every finding. The
// error is non-nil only when the target could not be run at all (it wraps
// [ErrUnreachable]) or ctx ended; a broken server gives findings, not an
// error. Every exchange has a deadline, so a server that hangs cannot
// hang Check.
func Check(ctx context.Context, tgt target.Target, opts *Options) (*Report, error) {
	if err := tgt.Validate(); err != nil {
		return nil, err
	}
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.Samples <= 0 {
		o.Samples = defaultSamples
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Revision != "" && !slices.Contains(Revisions(), o.Revision) {
		return nil, fmt.Errorf("revision %q: want one of %v", o.Revision, Revisions())
	}
	client, err := newClientCaps(o.ClientCaps, tgt.Dir)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	r := &run{tgt: tgt, opts: o, client: client, report: &Report{Target: tgt.String()}}
	defer r.closeAll()
	if err := r.connect(ctx); err != nil {
		var mis *misanswered
		if !errors.As(err, &mis) {
			return nil, fmt.Errorf("%w: %s: %w", ErrUnreachable, tgt, err)
		}
		// The server answered, under another id: that is a finding, and
		// no session to run the other checks in.
		r.report.Results = r.misansweredResults(mis)
		r.report.Duration = time.Since(start)
		return r.report, nil
	}
	for _, c := range checks() {
		r.report.Results = append(r.report.Results, r.runCheck(ctx, c))
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	r.measure(ctx)
	r.report.Duration = time.Since(start)
	return r.report, nil
}

// A check is one rule of the specification and the probe that tests it.
type check struct {
	id    string
	title string
	level Level
	spec  string // the section it enforces, as a URL fragment of the spec
	// revisions it applies to (of the main session); nil means all.
	revisions []string
	// transport it applies to: "stdio", "http", or "" for both.
	transport string
	probe     func(ctx context.Context, p *probe)
}

// run is the state of one Check: the target, the main session and what
// the checks learned that others reuse.
type run struct {
	tgt    target.Target
	opts   Options
	client *clientCaps // what initialize declares; nil is nothing
	report *Report

	mu       sync.Mutex
	sessions []*session

	main        *session
	init        *initResult
	tools       []*tool // the main session's tools/list, once listed
	toolsListed bool
	calls       []*callRecord // tool calls with valid arguments
}

// initResult is the answer to initialize, or to server/discover.
type initResult struct {
	ProtocolVersion string                     `json:"protocolVersion"`
	Capabilities    map[string]json.RawMessage `json:"capabilities"`
	ServerInfo      *struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"serverInfo"`
	Instructions string `json:"instructions"`
}

// has reports whether the server advertised a capability.
func (i *initResult) has(capability string) bool {
	_, ok := i.Capabilities[capability]
	return ok
}

func (r *run) stdio() bool { return len(r.tgt.Command) > 0 }

// open starts a new raw, uninitialized connection to the target: a new
// process for a command.
func (r *run) open() (*session, error) {
	var l link
	if r.stdio() {
		sl, err := startStdio(r.tgt.Command, r.tgt.Env, r.tgt.Dir, r.tgt.Stderr, r.opts.Timeout/2)
		if err != nil {
			return nil, err
		}
		l = sl
	} else {
		l = dialHTTP(r.tgt.URL, r.opts.HTTPClient)
	}
	s := newSession(l, r.opts.Timeout)
	r.mu.Lock()
	r.sessions = append(r.sessions, s)
	r.mu.Unlock()
	return s, nil
}

func (r *run) closeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range r.sessions {
		wg.Go(func() { s.close() })
	}
	wg.Wait()
}

// initialize performs the handshake of a legacy revision on s.
func (r *run) initialize(ctx context.Context, s *session, rev string) (*initResult, *message, error) {
	params := initializeParams(rev)
	params["capabilities"] = r.client.object()
	s.mu.Lock()
	s.client = r.client
	s.mu.Unlock()
	m, err := s.call(ctx, "initialize", params)
	if err != nil {
		return nil, nil, fmt.Errorf("initialize: %w", err)
	}
	var res initResult
	if err := decode(m, &res); err != nil {
		return nil, m, fmt.Errorf("initialize: %w", err)
	}
	s.version = res.ProtocolVersion
	if hl, ok := s.link.(*httpLink); ok {
		hl.setVersion(res.ProtocolVersion)
	}
	if err := s.notify(ctx, "notifications/initialized", nil); err != nil {
		return &res, m, fmt.Errorf("notifications/initialized: %w", err)
	}
	return &res, m, nil
}

// errNoStateless says that server/discover did not offer the stateless
// revision, which older servers rightly do not.
var errNoStateless = errors.New("the server does not offer " + revStateless)

// discover performs the stateless handshake, server/discover, on s.
func (r *run) discover(ctx context.Context, s *session) (*initResult, *message, error) {
	s.version = revStateless
	if hl, ok := s.link.(*httpLink); ok {
		hl.setVersion(revStateless)
	}
	m, err := s.call(ctx, "server/discover", nil)
	if err != nil {
		return nil, nil, fmt.Errorf("server/discover: %w", err)
	}
	var res struct {
		SupportedVersions []string                   `json:"supportedVersions"`
		Capabilities      map[string]json.RawMessage `json:"capabilities"`
		Instructions      string                     `json:"instructions"`
		Meta              struct {
			ServerInfo *struct {
				Name    string `json:"name"`
				Version string `json:"version"`
			} `json:"io.modelcontextprotocol/serverInfo"`
		} `json:"_meta"`
	}
	if err := decode(m, &res); err != nil {
		return nil, m, fmt.Errorf("server/discover: %w", err)
	}
	if !slices.Contains(res.SupportedVersions, revStateless) {
		return nil, m, fmt.Errorf("%w: it supports %v", errNoStateless, res.SupportedVersions)
	}
	return &initResult{ProtocolVersion: revStateless, Capabilities: res.Capabilities, ServerInfo: res.Meta.ServerInfo, Instructions: res.Instructions}, m, nil
}

// handshake opens a session at the revision: initialize or discover.
func (r *run) handshake(ctx context.Context, rev string) (*session, *initResult, *message, error) {
	s, err := r.open()
	if err != nil {
		return nil, nil, nil, err
	}
	var res *initResult
	var m *message
	if legacy(rev) {
		res, m, err = r.initialize(ctx, s, rev)
	} else {
		res, m, err = r.discover(ctx, s)
	}
	return s, res, m, err
}

// connect opens the main session that most checks share.
func (r *run) connect(ctx context.Context) error {
	start := time.Now()
	rev := r.opts.Revision
	if rev == "" {
		rev = rev20251125
	}
	s, res, _, err := r.handshake(ctx, rev)
	if err != nil {
		if s != nil && errors.Is(err, errTimeout) {
			_, answers, _, _ := s.snapshot()
			for _, m := range answers {
				return &misanswered{method: handshakeMethod(rev), answer: m}
			}
		}
		return err
	}
	if !slices.Contains(Revisions(), res.ProtocolVersion) {
		return fmt.Errorf("the server answered with protocol revision %q, which the checker does not know", res.ProtocolVersion)
	}
	r.report.Timing.Startup = time.Since(start)
	r.main, r.init = s, res
	r.report.Revision = res.ProtocolVersion
	if res.ServerInfo != nil {
		r.report.Server.Name, r.report.Server.Version = res.ServerInfo.Name, res.ServerInfo.Version
	}
	return nil
}

func handshakeMethod(rev string) string {
	if legacy(rev) {
		return "initialize"
	}
	return "server/discover"
}

// misanswered is a handshake whose only answer came under another id.
type misanswered struct {
	method string
	answer *message
}

func (e *misanswered) Error() string {
	return fmt.Sprintf("%s was answered under another id: %s", e.method, e.answer)
}

// misansweredResults reports a handshake answered under the wrong id: a
// jsonrpc-ids failure, whatever the selection, since it is why no other
// check could run.
func (r *run) misansweredResults(mis *misanswered) []Result {
	var res initResult
	if decode(mis.answer, &res) == nil && res.ServerInfo != nil {
		r.report.Server.Name, r.report.Server.Version = res.ServerInfo.Name, res.ServerInfo.Version
	}
	var results []Result
	for _, c := range checks() {
		result := Result{ID: c.id, Title: c.title, Level: c.level, Spec: c.spec, Status: Skip, Reason: "no session: " + mis.Error()}
		if c.id == "jsonrpc-ids" {
			p := &probe{run: r, res: &result}
			result.Status, result.Reason = Pass, ""
			p.fail(mis.answer, "%s got its only answer under id %s, not the request's", mis.method, mis.answer.ID)
		}
		results = append(results, result)
	}
	return results
}

// runCheck runs one check if it applies and is selected.
func (r *run) runCheck(ctx context.Context, c check) (res Result) {
	res = Result{ID: c.id, Title: c.title, Level: c.level, Spec: c.spec, Status: Pass}
	skip := func(reason string) Result {
		res.Status, res.Reason = Skip, reason
		return res
	}
	switch {
	case !r.selected(c.id):
		return skip("not selected")
	case c.revisions != nil && !slices.Contains(c.revisions, r.report.Revision):
		return skip(fmt.Sprintf("applies to revisions %v, not %s", c.revisions, r.report.Revision))
	case c.transport == "stdio" && !r.stdio(), c.transport == "http" && r.stdio():
		return skip("applies to " + c.transport + " only")
	}
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	p := &probe{run: r, res: &res}
	defer func() {
		if v := recover(); v != nil {
			p.fail(nil, "the check panicked: %v", v)
		}
	}()
	// A generous bound on the whole check; each exchange has its own.
	ctx, cancel := context.WithTimeout(ctx, 12*r.opts.Timeout)
	defer cancel()
	c.probe(ctx, p)
	return res
}

func (r *run) selected(id string) bool {
	match := func(patterns []string) bool {
		return slices.ContainsFunc(patterns, func(p string) bool {
			ok, _ := path.Match(p, id)
			return ok
		})
	}
	return (len(r.opts.Only) == 0 || match(r.opts.Only)) && !match(r.opts.Skip)
}

// A probe is what a check uses to record its outcome.
type probe struct {
	*run
	res *Result
}

// fail records a finding at the check's level; ev is the evidence: a
// *message, raw bytes, a string, an error or nil.
func (p *probe) fail(ev any, format string, args ...any) {
	p.record(p.res.Level, ev, format, args...)
}

// warn records a finding of a SHOULD rule, in a check whose main rule
// may be a MUST: it warns, and fails nothing.
func (p *probe) warn(ev any, format string, args ...any) {
	level := Should
	if p.res.Level == Info {
		level = Info
	}
	p.record(level, ev, format, args...)
}

// note records an informative finding, which breaks no rule.
func (p *probe) note(ev any, format string, args ...any) {
	p.record(Info, ev, format, args...)
}

// record adds a finding at level; the status is that of the gravest.
func (p *probe) record(level Level, ev any, format string, args ...any) {
	f := Finding{Level: level, Message: fmt.Sprintf(format, args...)}
	switch ev := ev.(type) {
	case *message:
		if ev != nil {
			f.Evidence = ev.String()
		}
	case []byte:
		f.Evidence = evidence(ev)
	case string:
		f.Evidence = evidence([]byte(ev))
	case error:
		f.Evidence = ev.Error()
	}
	p.res.Findings = append(p.res.Findings, f)
	if st := level.status(); st.graver(p.res.Status) {
		p.res.Status = st
	}
}

// skip marks the check as not applicable; findings already recorded stay.
func (p *probe) skip(format string, args ...any) {
	if len(p.res.Findings) == 0 {
		p.res.Status = Skip
	}
	p.res.Reason = fmt.Sprintf(format, args...)
}
