package conform

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// checkHTTPGet opens a session and sends GET to the endpoint, as a
// client listening for the server's messages does. Transports, listening
// for messages from the server: "The server MUST either return
// Content-Type: text/event-stream in response to this HTTP GET, or else
// return HTTP 405 Method Not Allowed". Only the headers are read: a
// stream stays open.
func checkHTTPGet(ctx context.Context, p *probe) {
	s := p.fresh(ctx)
	if s == nil {
		return
	}
	defer s.close()
	ctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.tgt.URL, nil)
	if err != nil {
		p.fail(err, "GET: %v", err)
		return
	}
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Mcp-Protocol-Version", p.rev)
	if id := s.link.(*httpLink).session(); id != "" {
		req.Header.Set("Mcp-Session-Id", id)
	}
	resp, err := p.opts.HTTPClient.Do(req)
	if err != nil {
		p.fail(err, "GET: %v", err)
		return
	}
	defer resp.Body.Close()
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case resp.StatusCode == http.StatusMethodNotAllowed:
	case ct == "text/event-stream" && resp.StatusCode < 300:
	default:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		p.fail(fmt.Sprintf("HTTP %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), evidence(b)),
			"GET got HTTP %d with Content-Type %q, want an SSE stream or 405", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// fresh opens a new session at the main session's revision; on failure
// it records a finding and returns nil. The caller closes the session.
func (p *probe) fresh(ctx context.Context) *session {
	s, _, m, err := p.handshake(ctx, p.rev)
	if err != nil {
		p.fail(evOr(m, err), "handshake: %v", err)
		if s != nil {
			s.close()
		}
		return nil
	}
	return s
}

// checkHTTPSessionID judges the session id the server issues.
// Transports, session management: "The session ID MUST only contain
// visible ASCII characters (ranging from 0x21 to 0x7E)."
func checkHTTPSessionID(ctx context.Context, p *probe) {
	s, id := p.httpSession(ctx)
	if s == nil {
		return
	}
	defer s.close()
	for i := range len(id) {
		if id[i] < 0x21 || id[i] > 0x7e {
			p.fail(id, "the session id %q has the byte %#x at %d, outside visible ASCII (0x21 to 0x7E)", id, id[i], i)
			return
		}
	}
}
