package conform

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"strings"
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
	// every revision the server claims, the main one being the newest
	// with initialize.
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
	// Timeout bounds each exchange: the wait for an answer, the time an
	// HTTP exchange may go without a message, a process's grace period
	// to exit once its stdin is closed. Zero means 5s.
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

// ErrExited wraps the error of a run during which the server of a main
// session exited (or a URL stopped answering): the check that was running
// fails, and the checks after it at that revision are [NotRun].
var ErrExited = errors.New("the server exited during the run")

// Check runs the checks on the target and returns every finding. An
// in-process server ([target.Server]) is checked as a command is, over
// stdio framing, a fresh server for each connection; a handler
// ([target.Handler]) as a URL is, served on a loopback port for the run. Unless
// the target or the options are invalid, it returns the report, complete
// or not; the error says why it is not: the target could not be run (it
// wraps [ErrUnreachable]), its
// server exited ([ErrExited]), or ctx ended. The checks that could not
// run are [NotRun], with the reason. A broken server gives findings, not
// an error. Every exchange has a deadline, so a server that hangs cannot
// hang Check.
//
// The checks that use the main session run at every revision the server
// claims (it echoes them at initialize, or offers the stateless revision
// at server/discover), newest first, or only at [Options.Revision]; the
// checks that judge the server as a whole run once, at the main revision.
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
	name := tgt.String()
	if tgt.Handler != nil {
		// Served on a loopback port, the handler is checked as any
		// streamable HTTP endpoint is, with the run's HTTP client.
		srv := httptest.NewServer(tgt.Handler)
		defer func() {
			srv.CloseClientConnections()
			srv.Close()
		}()
		tgt = target.Target{URL: srv.URL}
	}
	start := time.Now()
	r := &run{tgt: tgt, opts: o, client: client, report: &Report{Target: name}}
	err = r.checkAll(ctx)
	r.report.Duration = time.Since(start)
	if err != nil {
		r.report.Error = err.Error()
	}
	return r.report, err
}

// checkAll runs every check and fills the report; the error says why the
// run ended early.
func (r *run) checkAll(ctx context.Context) error {
	all := checks()
	if err := r.connect(ctx); err != nil {
		r.closeAll()
		var mis *misanswered
		if errors.As(err, &mis) {
			// The server answered, under another id: that is a finding,
			// and no session to run the other checks in.
			r.report.Results = r.misansweredResults(mis)
			return nil
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("checking %s: %w", r.tgt, ctx.Err())
		} else {
			err = fmt.Errorf("%w: %s: %w", ErrUnreachable, r.tgt, err)
		}
		for _, c := range all {
			r.report.Results = append(r.report.Results, notRun(c, "the server could not be checked"))
		}
		return err
	}
	var stop error
	for _, c := range all {
		if stop == nil && ctx.Err() != nil {
			stop = fmt.Errorf("checking %s: %w", r.tgt, ctx.Err())
		}
		if stop != nil {
			r.report.Results = append(r.report.Results, notRun(c, "the run ended before it"))
			continue
		}
		r.report.Results = append(r.report.Results, r.runCheck(ctx, c))
	}
	if stop == nil && ctx.Err() == nil {
		r.measure(ctx)
	}
	r.closeAll()
	r.runVerdicts()
	r.orderFindings()
	switch {
	case stop != nil:
	case ctx.Err() != nil:
		stop = fmt.Errorf("checking %s: %w", r.tgt, ctx.Err())
	case r.exited != "":
		stop = fmt.Errorf("%w: %s", ErrExited, r.exited)
	}
	if r.report.Stderr == "" && r.report.Failed() {
		r.report.Stderr = stderrOf(r.primary.main)
	}
	r.report.Revisions = r.ranAt()
	return stop
}

// ranAt returns the revisions at which some check ran, in the order of
// the main sessions, or the main revision if none.
func (r *run) ranAt() []string {
	var revs []string
	for _, v := range r.states {
		if slices.ContainsFunc(r.report.Results, func(res Result) bool { return slices.Contains(res.Revisions, v.rev) }) {
			revs = append(revs, v.rev)
		}
	}
	if len(revs) == 0 {
		return []string{r.primary.rev}
	}
	return revs
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

// run is the state of one Check: the target, the main sessions and what
// the checks learned that others reuse.
type run struct {
	tgt    target.Target
	opts   Options
	report *Report
	client *clientCaps // what initialize declares; nil is nothing

	mu       sync.Mutex
	sessions []*session

	hellos  map[string]*hello // the handshake at each revision, by the revision asked for
	states  []*revState       // a main session per revision it runs at, newest first
	primary *revState         // the main revision's
	pending []verdict         // judgments left for the end of the run
	spares  []*stdioLink      // processes started ahead of need
	exited  string            // how a main session's server ended, if one did
}

// A hello is the handshake at one revision, on a connection of its own.
type hello struct {
	s    *session
	res  *initResult
	msg  *message
	err  error
	took time.Duration // from opening the connection to the answer
}

// A revState is one main session and what the checks learned on it.
type revState struct {
	rev         string // the revision the session negotiated
	main        *session
	init        *initResult
	tools       []*tool // the session's tools/list, once listed
	toolsListed bool
	calls       []*callRecord // tool calls with valid arguments
	gone        string        // why its server is gone, once it is
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

func (r *run) stdio() bool { return len(r.tgt.Command) > 0 || r.tgt.NewServer != nil }

// open starts a new raw, uninitialized connection to the target: a new
// process for a command, a new server for an in-process one.
func (r *run) open() (*session, error) {
	var l link
	if r.stdio() {
		sl, err := r.process()
		if err != nil {
			return nil, err
		}
		l = sl
	} else {
		l = dialHTTP(r.tgt.URL, r.opts.HTTPClient, r.opts.Timeout)
	}
	s := newSession(l, r.opts.Timeout)
	r.mu.Lock()
	r.sessions = append(r.sessions, s)
	r.mu.Unlock()
	return s, nil
}

// spareProcesses is how many processes of a command are started ahead
// of need, so that a check opening a connection of its own finds one
// that has booted: a Node.js server takes a few hundred milliseconds.
const spareProcesses = 2

// process returns a started process of the command: a spare started
// ahead, replaced by a new one.
func (r *run) process() (*stdioLink, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.spares) <= spareProcesses {
		l, err := r.start()
		if err != nil {
			if len(r.spares) == 0 {
				return nil, err
			}
			break
		}
		r.spares = append(r.spares, l)
	}
	l := r.spares[0]
	r.spares = r.spares[1:]
	return l, nil
}

// start starts a server process, or an in-process server.
func (r *run) start() (*stdioLink, error) {
	if r.tgt.NewServer != nil {
		return startInProcess(r.tgt.NewServer, r.opts.Timeout), nil
	}
	return startStdio(r.tgt.Command, r.tgt.Env, r.tgt.Dir, r.tgt.Stderr, r.opts.Timeout)
}

// closeAll closes every session and spare process, and waits until each
// is closed and its output read.
func (r *run) closeAll() {
	r.mu.Lock()
	sessions, spares := slices.Clone(r.sessions), r.spares
	r.spares = nil
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, l := range spares {
		go func() {
			for range l.in {
			}
		}()
		// A spare was never spoken to: it need not end gracefully, and
		// one still booting should stop taking the CPU.
		l.kill()
		wg.Go(func() { l.close() })
	}
	for _, s := range sessions {
		s.close()
	}
	for _, s := range sessions {
		<-s.done()
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
	if err != nil && errors.Is(err, errTimeout) {
		if a := s.findAnswer(func(*message) bool { return true }); a != nil {
			return s, nil, nil, &misanswered{method: handshakeMethod(rev), answer: a}
		}
	}
	return s, res, m, err
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
			p := &probe{run: r, revState: &revState{}, res: &result}
			result.Status, result.Reason = Pass, ""
			p.fail(mis.answer, "%s got its only answer under id %s, not the request's", mis.method, mis.answer.ID)
		}
		results = append(results, result)
	}
	return results
}

// connect shakes hands at every revision, each on a connection of its
// own, all at once: the revisions the server echoes are the ones it
// claims, and their sessions are the main sessions the checks share.
func (r *run) connect(ctx context.Context) error {
	revs := Revisions()
	hellos := make([]*hello, len(revs))
	var wg sync.WaitGroup
	for i, rev := range revs {
		wg.Go(func() {
			start := time.Now()
			h := &hello{}
			h.s, h.res, h.msg, h.err = r.handshake(ctx, rev)
			h.took = time.Since(start)
			hellos[i] = h
		})
	}
	wg.Wait()
	r.hellos = map[string]*hello{}
	for i, rev := range revs {
		r.hellos[rev] = hellos[i]
		if h := hellos[i]; h.err == nil && (h.res.ProtocolVersion == rev || !legacy(rev)) {
			r.report.Server.Revisions = append(r.report.Server.Revisions, rev)
		}
	}
	mains := r.mainRevisions()
	var first error
	for _, rev := range mains {
		h := r.hellos[rev]
		switch {
		case h.err != nil:
			first = cmp.Or(first, exitedBefore(h))
			r.report.Stderr = cmp.Or(r.report.Stderr, stderrOf(h.s))
			continue
		case !slices.Contains(revs, h.res.ProtocolVersion):
			first = cmp.Or(first, fmt.Errorf("the server answered with protocol revision %q, which the checker does not know", h.res.ProtocolVersion))
			continue
		case slices.ContainsFunc(r.states, func(v *revState) bool { return v.rev == h.res.ProtocolVersion }):
			continue
		}
		r.states = append(r.states, &revState{rev: h.res.ProtocolVersion, main: h.s, init: h.res})
	}
	if len(r.states) == 0 {
		return first
	}
	// The main revision is the newest with initialize, since most checks
	// have been written for those.
	r.primary = r.states[0]
	if i := slices.IndexFunc(r.states, func(v *revState) bool { return legacy(v.rev) }); i >= 0 {
		r.primary = r.states[i]
	}
	r.report.Stderr = ""
	r.report.Revision = r.primary.rev
	for _, v := range r.states {
		r.report.Revisions = append(r.report.Revisions, v.rev)
	}
	for _, h := range r.hellos {
		if h.s == r.primary.main {
			r.report.Timing.Startup = h.took
		}
	}
	if res := r.primary.init; res.ServerInfo != nil {
		r.report.Server.Name, r.report.Server.Version = res.ServerInfo.Name, res.ServerInfo.Version
	}
	return nil
}

// exitedBefore says that the server exited before it answered, when it
// did, rather than how writing to it failed then.
func exitedBefore(h *hello) error {
	if h.s == nil {
		return h.err
	}
	l, ok := h.s.link.(*stdioLink)
	gone := h.s.exited() || connectionGone(h.err)
	if ok && gone && l.waitExit(l.grace) {
		return fmt.Errorf("the server exited (%s) before it answered the handshake", l.exitStatus())
	}
	return h.err
}

// mainRevisions are the revisions whose hellos may be main sessions, in
// order of preference: the one asked for; else those the server claims,
// newest first; else the newest legacy revision, whatever it answers.
func (r *run) mainRevisions() []string {
	if r.opts.Revision != "" {
		return []string{r.opts.Revision}
	}
	claimed := slices.Clone(r.report.Server.Revisions)
	slices.Reverse(claimed)
	if len(claimed) == 0 {
		return []string{rev20251125}
	}
	return claimed
}

// wholeServer says whether a check judges the server as a whole rather
// than a session: it runs once, at the main revision, on connections of
// its own.
func wholeServer(c check) bool { return slices.Contains(serverChecks(), c.id) }

// applies says whether a check applies at a revision: one of those it
// names, or, when it names none, any revision with initialize. The
// stateless revision took ping, logging/setLevel and more away, so a
// check runs there only if it says so. A check that judges the server as
// a whole applies when the server claims one of its revisions.
func (r *run) applies(c check, rev string) bool {
	switch {
	case wholeServer(c):
		return c.revisions == nil || slices.ContainsFunc(c.revisions, func(rev string) bool { return slices.Contains(r.report.Server.Revisions, rev) })
	case c.revisions != nil:
		return slices.Contains(c.revisions, rev)
	}
	return legacy(rev)
}

// notRun is the result of a check that the run could not reach.
func notRun(c check, why string) Result {
	return Result{ID: c.id, Title: c.title, Level: c.level, Spec: c.spec, Status: NotRun, Reason: why}
}

// runCheck runs one check, if it applies and is selected, at each
// revision it applies to, and merges the outcomes: the worst status,
// every finding with its revision.
func (r *run) runCheck(ctx context.Context, c check) (res Result) {
	res = Result{ID: c.id, Title: c.title, Level: c.level, Spec: c.spec, Status: Skip}
	switch {
	case !r.selected(c.id):
		res.Reason = "not selected"
		return res
	case c.transport == "stdio" && !r.stdio(), c.transport == "http" && r.stdio():
		res.Reason = "applies to " + c.transport + " only"
		return res
	}
	states := r.states
	if wholeServer(c) {
		states = []*revState{r.primary}
	}
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	var skips []string
	var gone []*revState
	for _, v := range states {
		switch {
		case !r.applies(c, v.rev):
			continue
		case v.gone != "" && !wholeServer(c):
			gone = append(gone, v)
			continue
		}
		sub := r.probeAt(ctx, c, v)
		if ctx.Err() != nil {
			return notRun(c, "the run ended during it")
		}
		if sub.Status == Skip {
			skips = append(skips, sub.Reason)
			continue
		}
		res.Revisions = append(res.Revisions, v.rev)
		for _, f := range sub.Findings {
			res.add(f)
		}
		if res.Status == Skip || sub.Status.graver(res.Status) {
			res.Status = sub.Status
		}
	}
	r.noteExits(c, &res)
	switch {
	case len(res.Revisions) > 0:
	case len(skips) > 0:
		res.Reason = strings.Join(slices.Compact(skips), "; ")
	case len(gone) > 0:
		res.Status, res.Reason = NotRun, notRunAt(gone)
	case c.revisions == nil:
		res.Reason = fmt.Sprintf("applies to the revisions with initialize, not %s", strings.Join(r.report.Revisions, ", "))
	default:
		res.Reason = fmt.Sprintf("applies to revisions %v, not %s", c.revisions, strings.Join(r.report.Revisions, ", "))
	}
	if len(res.Revisions) > 0 && len(gone) > 0 {
		res.Reason = notRunAt(gone)
	}
	return res
}

// noteExits looks for main sessions whose server exited during the
// check: the checks after it do not run there, and the check fails at
// the revisions it ran at, since nothing a client sends may kill a server.
func (r *run) noteExits(c check, res *Result) {
	for _, v := range r.states {
		if v.gone != "" || !v.main.exited() {
			continue
		}
		status := exitStatus(v.main)
		v.gone = fmt.Sprintf("the server exited during %s (%s)", c.id, status)
		r.exited = cmp.Or(r.exited, fmt.Sprintf("at %s, during %s (%s)", v.rev, c.id, status))
		r.report.Stderr = cmp.Or(r.report.Stderr, stderrOf(v.main))
		if slices.Contains(res.Revisions, v.rev) {
			res.add(Finding{Level: Must, Revisions: []string{v.rev}, Message: "the server exited during this check: " + status, Evidence: strings.TrimSpace(stderrOf(v.main))})
			res.Status = Fail
		}
	}
}

// notRunAt says at which revisions a check could not run, and why.
func notRunAt(gone []*revState) string {
	var whys []string
	revs := map[string][]string{}
	for _, v := range gone {
		if revs[v.gone] == nil {
			whys = append(whys, v.gone)
		}
		revs[v.gone] = append(revs[v.gone], v.rev)
	}
	var parts []string
	for _, why := range whys {
		parts = append(parts, fmt.Sprintf("at %s, %s", strings.Join(revs[why], ", "), why))
	}
	return strings.Join(parts, "; ")
}

// probeAt runs the check's probe on one main session.
func (r *run) probeAt(ctx context.Context, c check, v *revState) (res Result) {
	res = Result{ID: c.id, Title: c.title, Level: c.level, Spec: c.spec, Status: Pass}
	p := &probe{run: r, revState: v, res: &res}
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

func (r *run) selected(id string) bool { return r.opts.Selects(id) }

// Selects says whether the options select the check with this id: it
// matches a pattern of Only, when there are any, and none of Skip.
func (o Options) Selects(id string) bool {
	match := func(patterns []string) bool {
		return slices.ContainsFunc(patterns, func(p string) bool {
			ok, _ := path.Match(p, id)
			return ok
		})
	}
	return (len(o.Only) == 0 || match(o.Only)) && !match(o.Skip)
}

// A probe is what a check uses to record its outcome at one revision.
type probe struct {
	*run
	*revState
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
	f := Finding{Level: level, Revisions: []string{p.rev}, Message: fmt.Sprintf(format, args...)}
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
	p.res.add(f)
	if st := level.status(); st.graver(p.res.Status) {
		p.res.Status = st
	}
}

// add records a finding; one with the same message, found at other
// revisions, gains the new ones and keeps its evidence.
func (res *Result) add(f Finding) {
	i := slices.IndexFunc(res.Findings, func(g Finding) bool { return g.Message == f.Message })
	if i < 0 {
		res.Findings = append(res.Findings, f)
		return
	}
	for _, rev := range f.Revisions {
		if !slices.Contains(res.Findings[i].Revisions, rev) {
			res.Findings[i].Revisions = append(res.Findings[i].Revisions, rev)
		}
	}
}

// skip marks the check as not applicable; findings already recorded stay.
func (p *probe) skip(format string, args ...any) {
	if len(p.res.Findings) == 0 {
		p.res.Status = Skip
	}
	p.res.Reason = fmt.Sprintf(format, args...)
}

// A verdict is a judgment that waits for the end of the run.
type verdict struct {
	id    string
	state *revState
	judge func(p *probe)
}

// settle leaves judge for the end of the run, once every connection is
// closed and all it carried is in: the one moment at which a check knows
// that an answer will not come, since answers may come in any order.
// judge may record findings with p.fail, nothing else.
func (p *probe) settle(judge func(p *probe)) {
	p.pending = append(p.pending, verdict{p.res.ID, p.revState, judge})
}

// runVerdicts runs the verdicts left for the end of the run.
func (r *run) runVerdicts() {
	for _, v := range r.pending {
		res := r.report.Result(v.id)
		if res == nil || res.Status == NotRun || res.Status == Skip {
			continue
		}
		v.judge(&probe{run: r, revState: v.state, res: res})
	}
}

// orderFindings lists the revisions of every finding in the order of the
// main sessions, and the findings of a check by the first revision they
// were seen at, whether they came at once or from a verdict at the end
// of the run, so that two runs of one server report alike.
func (r *run) orderFindings() {
	rank := func(rev string) int {
		return slices.IndexFunc(r.states, func(v *revState) bool { return v.rev == rev })
	}
	byRank := func(a, b string) int { return rank(a) - rank(b) }
	for i := range r.report.Results {
		fs := r.report.Results[i].Findings
		for j := range fs {
			slices.SortStableFunc(fs[j].Revisions, byRank)
		}
		first := func(f Finding) int {
			if len(f.Revisions) == 0 {
				return -1
			}
			return rank(f.Revisions[0])
		}
		slices.SortStableFunc(fs, func(a, b Finding) int { return first(a) - first(b) })
	}
}

// stderrOf returns the end of the stderr of a session's process, or "".
func stderrOf(s *session) string {
	if s == nil {
		return ""
	}
	if l, ok := s.link.(*stdioLink); ok {
		return l.stderr.String()
	}
	return ""
}

// exitStatus says how a session's process ended, once its output has:
// it exits soon after, or is said to have closed its stdout.
func exitStatus(s *session) string {
	l, ok := s.link.(*stdioLink)
	if !ok {
		return "it closed the connection"
	}
	if !l.waitExit(l.grace) {
		return "it closed its stdout"
	}
	return l.exitStatus()
}
