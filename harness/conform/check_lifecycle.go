package conform

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
)

// checkInitialize judges the handshakes at each legacy revision, each on
// a fresh connection, that the run began with. A server must echo a
// revision it supports, and otherwise answer with another it supports;
// the revisions it echoes are reported as its own.
func checkInitialize(ctx context.Context, p *probe) {
	for _, rev := range Revisions() {
		if !legacy(rev) {
			continue
		}
		h := p.hellos[rev]
		res, m, err := h.res, h.msg, h.err
		if err != nil {
			p.fail(evOr(m, err), "initialize at %s: %v", rev, err)
			continue
		}
		switch {
		case res.ProtocolVersion == "":
			p.fail(m, "initialize at %s: no protocolVersion", rev)
		case res.Capabilities == nil:
			p.fail(m, "initialize at %s: no capabilities object", rev)
		case !hasServerInfo(m):
			p.fail(m, "initialize at %s: serverInfo needs a name and a version, both strings", rev)
		case res.ProtocolVersion == rev:
			// It claims rev.
		case !slices.Contains(Revisions(), res.ProtocolVersion) && res.ProtocolVersion < rev:
			p.fail(m, "initialize at %s: answered with an unknown older revision %q", rev, res.ProtocolVersion)
		}
	}
	if len(p.report.Server.Revisions) == 0 && p.res.Status == Pass {
		p.fail(nil, "the server echoed none of the revisions %v", Revisions()[:4])
	}
}

// hasServerInfo reports whether an initialize result carries the
// serverInfo the schema requires: an Implementation, whose name and
// version are strings, which may be empty.
func hasServerInfo(m *message) bool {
	var res struct {
		ServerInfo *struct {
			Name    *string `json:"name"`
			Version *string `json:"version"`
		} `json:"serverInfo"`
	}
	return json.Unmarshal(m.Result, &res) == nil && res.ServerInfo != nil && res.ServerInfo.Name != nil && res.ServerInfo.Version != nil
}

// evOr returns the message as evidence, or the error when there is none.
func evOr(m *message, err error) any {
	if m != nil {
		return m
	}
	return err
}

// checkVersionNegotiation asks for a revision from the future.
func checkVersionNegotiation(ctx context.Context, p *probe) {
	const future = "2099-01-01"
	s, err := p.open()
	if err != nil {
		p.fail(err, "starting the server: %v", err)
		return
	}
	defer s.close()
	m, err := s.call(ctx, "initialize", initializeParams(future))
	if err != nil {
		p.fail(err, "initialize at %s: %v", future, err)
		return
	}
	var res initResult
	if err := decode(m, &res); err != nil {
		p.fail(m, "initialize at %s: the server must answer with a revision it supports, not an error", future)
		return
	}
	if res.ProtocolVersion == future {
		p.fail(m, "initialize at %s: the server echoed a revision that does not exist", future)
		return
	}
	if len(p.report.Server.Revisions) > 0 && !slices.Contains(p.report.Server.Revisions, res.ProtocolVersion) {
		p.fail(m, "initialize at %s: answered %q, which the server refused when asked for it (it supports %v)", future, res.ProtocolVersion, p.report.Server.Revisions)
	}
}

// checkDiscover probes the stateless revision, which applies only to a
// server that claims it: one whose server/discover lists it. Any other
// answer, an error, an HTTP refusal or silence, is how a legacy server
// rightly meets server/discover ("The server returns any other error, or
// does not respond within a reasonable timeout: the server is legacy"),
// unless the error itself lists 2026-07-28 among the supported versions.
func checkDiscover(ctx context.Context, p *probe) {
	h := p.hellos[revStateless]
	s, res, m, err := h.s, h.res, h.msg, h.err
	if s == nil {
		p.fail(err, "starting the server: %v", err)
		return
	}
	var rpcErr *rpcError
	switch {
	case errors.As(err, &rpcErr) && slices.Contains(supportedIn(rpcErr), revStateless):
		p.fail(m, "server/discover got an error that lists %s as supported", revStateless)
		return
	case errors.Is(err, errNoStateless):
		p.skip("%v", err)
		return
	case err != nil && (m == nil || m.Error != nil):
		p.skip("the server does not claim %s: server/discover: %v", revStateless, err)
		return
	case err != nil:
		p.fail(m, "%v", err)
		return
	}
	if res.Capabilities == nil {
		p.fail(m, "server/discover: no capabilities object")
	}
	if res.ServerInfo == nil {
		// "Servers SHOULD include this field."
		p.warn(m, "server/discover: no serverInfo in _meta")
	}
	// Without initialize, a request that carries its _meta must work.
	if _, ok := res.Capabilities["tools"]; ok {
		lm, err := s.call(ctx, "tools/list", nil)
		if err != nil || lm.Error != nil {
			p.fail(evOr(lm, err), "a stateless tools/list with the per-request _meta failed")
		}
	}
}

// supportedIn returns the versions an UnsupportedProtocolVersionError
// lists in its data.supported, if it has any.
func supportedIn(e *rpcError) []string {
	var data struct {
		Supported []string `json:"supported"`
	}
	json.Unmarshal(e.Data, &data)
	return data.Supported
}

// checkBeforeInitialize sends tools/list on a fresh connection.
func checkBeforeInitialize(ctx context.Context, p *probe) {
	if !legacy(p.rev) {
		p.skip("%s has no initialize", p.rev)
		return
	}
	s, err := p.open()
	if err != nil {
		p.fail(err, "starting the server: %v", err)
		return
	}
	defer s.close()
	m, err := s.call(ctx, "tools/list", nil)
	switch {
	case err != nil:
		p.fail(err, "tools/list before initialize: %v", err)
	case m.Error == nil:
		p.fail(m, "tools/list before initialize got a result, not an error")
	}
}

// checkPing pings the main session.
func checkPing(ctx context.Context, p *probe) {
	m, err := p.main.call(ctx, "ping", nil)
	if err != nil {
		p.fail(err, "ping: %v", err)
		return
	}
	var res map[string]json.RawMessage
	if err := decode(m, &res); err != nil {
		p.fail(m, "ping: %v", err)
		return
	}
	delete(res, "_meta")
	delete(res, "resultType")
	if len(res) > 0 {
		p.fail(m, "ping: the result is not empty")
	}
}

// checkCapabilities calls the list method of each advertised capability.
func checkCapabilities(ctx context.Context, p *probe) {
	for _, c := range []struct{ capability, method string }{
		{"tools", "tools/list"},
		{"resources", "resources/list"},
		{"prompts", "prompts/list"},
	} {
		if !p.init.has(c.capability) {
			continue
		}
		m, err := p.main.call(ctx, c.method, nil)
		if err != nil {
			p.fail(err, "%s: %v", c.method, err)
		} else if m.Error != nil {
			p.fail(m, "the server advertises %s, but %s fails", c.capability, c.method)
		}
	}
}

// checkStdinClose judges how the main session's server ends: at the end
// of the run its stdin closes, and it has a grace period to exit before
// it is killed. Waiting then costs nothing, as every process gets it at
// once.
func checkStdinClose(ctx context.Context, p *probe) {
	l := p.main.link.(*stdioLink)
	p.settle(func(p *probe) {
		if l.outlived() {
			p.fail(nil, "the server was still running %v after its stdin closed", l.grace)
		}
	})
}

// checkStdoutPurity judges every line that any connection of the run
// printed: each must be a JSON-RPC message.
func checkStdoutPurity(ctx context.Context, p *probe) {
	p.mu.Lock()
	sessions := slices.Clone(p.sessions)
	p.mu.Unlock()
	for _, s := range sessions {
		_, _, noise, _ := s.snapshot()
		for _, line := range noise {
			p.fail(line, "stdout carries a line that is not a JSON-RPC message")
			if len(p.res.Findings) >= 5 {
				return
			}
		}
	}
}
