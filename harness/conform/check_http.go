package conform

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

const pingBody = `{"jsonrpc":"2.0","id":"http-probe","method":"ping"}`

// do sends one HTTP request to the target and returns its status. Only
// the status matters to the HTTP checks; the body is kept for evidence.
func (r *run) do(ctx context.Context, method, body string, header map[string]string) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, r.tgt.URL, bytes.NewBufferString(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := r.opts.HTTPClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, fmt.Sprintf("HTTP %d %s", resp.StatusCode, evidence(b)), nil
}

// httpSession opens a fresh initialized session and returns its id, or
// skips when the server keeps no sessions.
func (p *probe) httpSession(ctx context.Context) (*session, string) {
	s, _, m, err := p.handshake(ctx, p.rev)
	if err != nil {
		p.fail(evOr(m, err), "handshake: %v", err)
		if s != nil {
			s.close()
		}
		return nil, ""
	}
	id := s.link.(*httpLink).session()
	if id == "" {
		s.close()
		p.skip("the server issues no session id")
		return nil, ""
	}
	return s, id
}

// expectStatus sends a request and checks its status.
func (p *probe) expectStatus(ctx context.Context, what, method, body string, header map[string]string, want int) {
	code, ev, err := p.do(ctx, method, body, header)
	switch {
	case err != nil:
		p.fail(err, "%s: %v", what, err)
	case code != want:
		p.fail(ev, "%s: got HTTP %d, want %d", what, code, want)
	}
}

func checkHTTPSession(ctx context.Context, p *probe) {
	s, id := p.httpSession(ctx)
	if s == nil {
		return
	}
	defer s.close()
	with := func(id string) map[string]string {
		return map[string]string{"Mcp-Session-Id": id, "Mcp-Protocol-Version": p.rev}
	}
	p.expectStatus(ctx, "a request with an unknown session id", http.MethodPost, pingBody, with("conform-unknown-session"), http.StatusNotFound)
	code, ev, err := p.do(ctx, http.MethodDelete, "", with(id))
	switch {
	case err != nil:
		p.fail(err, "DELETE of the session: %v", err)
	case code == http.StatusMethodNotAllowed:
		// The server does not let clients end sessions: allowed.
	case code >= 300:
		p.fail(ev, "DELETE of the session got HTTP %d", code)
	default:
		p.expectStatus(ctx, "a request in a deleted session", http.MethodPost, pingBody, with(id), http.StatusNotFound)
	}
}

// checkHTTPSessionRequired sends a request without the session id the
// server issued. The rule is for "Servers that require a session ID": one
// that serves the request does not require it.
func checkHTTPSessionRequired(ctx context.Context, p *probe) {
	s, _ := p.httpSession(ctx)
	if s == nil {
		return
	}
	defer s.close()
	const what = "a request without Mcp-Session-Id"
	code, ev, err := p.do(ctx, http.MethodPost, pingBody, map[string]string{"Mcp-Protocol-Version": p.rev})
	switch {
	case err != nil:
		p.fail(err, "%s: %v", what, err)
	case code < 300:
		p.note(ev, "%s was served: the server does not require its session id", what)
	case code != http.StatusBadRequest:
		p.fail(ev, "%s: got HTTP %d, want 400", what, code)
	}
}

func checkHTTPProtocolVersion(ctx context.Context, p *probe) {
	s, _, m, err := p.handshake(ctx, p.rev)
	if s != nil {
		defer s.close()
	}
	if err != nil {
		p.fail(evOr(m, err), "handshake: %v", err)
		return
	}
	h := map[string]string{"Mcp-Protocol-Version": "1999-01-01"}
	if id := s.link.(*httpLink).session(); id != "" {
		h["Mcp-Session-Id"] = id
	}
	p.expectStatus(ctx, "MCP-Protocol-Version 1999-01-01", http.MethodPost, pingBody, h, http.StatusBadRequest)
}

// checkHTTPOrigin sends initialize from a foreign origin. Before
// 2025-11-25, the server must refuse it but the status is its choice.
func checkHTTPOrigin(ctx context.Context, p *probe) {
	body := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":%q,"capabilities":{},"clientInfo":{"name":"conform","version":"1"}}}`, p.rev)
	const what = "initialize with Origin http://attacker.example"
	h := map[string]string{"Origin": "http://attacker.example"}
	if p.rev >= rev20251125 {
		p.expectStatus(ctx, what, http.MethodPost, body, h, http.StatusForbidden)
		return
	}
	code, ev, err := p.do(ctx, http.MethodPost, body, h)
	switch {
	case err != nil:
		p.fail(err, "%s: %v", what, err)
	case code < 400:
		p.fail(ev, "%s: got HTTP %d, want a refusal", what, code)
	}
}

func checkHTTPNotification(ctx context.Context, p *probe) {
	s, _, m, err := p.handshake(ctx, p.rev)
	if s != nil {
		defer s.close()
	}
	if err != nil {
		p.fail(evOr(m, err), "handshake: %v", err)
		return
	}
	h := map[string]string{"Mcp-Protocol-Version": p.rev}
	if id := s.link.(*httpLink).session(); id != "" {
		h["Mcp-Session-Id"] = id
	}
	p.expectStatus(ctx, "a notification", http.MethodPost, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"conform-never-sent"}}`, h, http.StatusAccepted)
}
