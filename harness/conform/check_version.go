package conform

import (
	"context"
	"fmt"
	"slices"
)

// futureRevision is a revision no server supports.
const futureRevision = "2099-01-01"

// askRevision sends initialize at rev on a fresh connection and returns
// the revision the server answered.
func (r *run) askRevision(ctx context.Context, rev string) (string, *message, error) {
	s, err := r.open()
	if err != nil {
		return "", nil, fmt.Errorf("starting the server: %w", err)
	}
	defer s.close()
	m, err := s.call(ctx, "initialize", initializeParams(rev))
	if err != nil {
		return "", nil, fmt.Errorf("initialize at %s: %w", rev, err)
	}
	var res initResult
	if err := decode(m, &res); err != nil {
		return "", m, fmt.Errorf("initialize at %s: %w", rev, err)
	}
	return res.ProtocolVersion, m, nil
}

// checkVersionAccepted collects the revisions the server answered in
// place of the one asked for (the main session's, a revision from the
// future, each known revision it did not echo), then asks for each
// directly on a fresh connection: the server must echo it. Lifecycle,
// version negotiation: "If the server supports the requested protocol
// version, it MUST respond with the same version. Otherwise, the server
// MUST respond with another protocol version it supports."
func checkVersionAccepted(ctx context.Context, p *probe) {
	type answer struct {
		asked, got string
		m          *message
	}
	var answers []answer
	if asked := p.mainAsked(); legacy(asked) && p.report.Revision != asked {
		answers = append(answers, answer{asked, p.report.Revision, nil})
	}
	asks := []string{futureRevision}
	for _, rev := range Revisions() {
		if legacy(rev) && !slices.Contains(p.report.Server.Revisions, rev) {
			asks = append(asks, rev)
		}
	}
	for _, rev := range asks {
		got, m, err := p.askRevision(ctx, rev)
		if err != nil {
			continue // lifecycle-initialize and lifecycle-version-negotiation report it
		}
		if got != rev && got != "" {
			answers = append(answers, answer{rev, got, m})
		}
	}
	verified := map[string]bool{}
	for _, rev := range p.report.Server.Revisions {
		verified[rev] = true
	}
	n := 0
	for _, a := range answers {
		if !legacy(a.got) {
			continue // server/discover says what a stateless server supports
		}
		n++
		if verified[a.got] {
			continue
		}
		got, m, err := p.askRevision(ctx, a.got)
		switch {
		case err != nil:
			p.fail(evOr(m, err), "asked for %s, the server answered %s, but it refuses %s when asked for it: %v", a.asked, a.got, a.got, err)
		case got != a.got:
			p.fail(m, "asked for %s, the server answered %s; asked for %s, it answered %s: it does not support %s", a.asked, a.got, a.got, got, a.got)
		default:
			verified[a.got] = true
		}
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("the server echoed every revision it was asked for")
	}
}

// mainAsked is the revision the main session asked for.
func (r *run) mainAsked() string {
	if r.opts.Revision != "" {
		return r.opts.Revision
	}
	return rev20251125
}
