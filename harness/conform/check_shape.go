package conform

import (
	"context"
	"strings"
)

// maxFindings bounds the findings of a check that judges a whole run:
// a few quotes prove the defect.
const maxFindings = 5

// checkMessageShape judges every message the server sent, in every
// session of the run. JSON-RPC 2.0 (5. Response object): "Either the
// result member or error member MUST be included, but both members MUST
// NOT be included." The MCP basic protocol: "Notifications MUST NOT
// include an ID", and a result response's result is an object ("The
// result MAY follow any JSON object structure").
func checkMessageShape(ctx context.Context, p *probe) {
	p.eachIncoming(func(s *session, _ []entry, m *message) bool {
		mem := m.members()
		_, result := mem["result"]
		_, rpcErr := mem["error"]
		switch {
		case m.Method == "" && result && rpcErr:
			p.fail(m, "a response with both a result and an error member")
		case m.Method == "" && result && !strings.HasPrefix(strings.TrimSpace(string(m.Result)), "{"):
			p.fail(m, "a result that is not an object")
		case strings.HasPrefix(m.Method, "notifications/") && m.hasID():
			p.fail(m, "the notification %s carries an id", m.Method)
		case m.Method != "" && (result || rpcErr):
			p.fail(m, "the %s message has a method and a result or error", m.Method)
		}
		return len(p.res.Findings) < maxFindings
	})
}

// initialized reports whether the transcript shows that the checker sent
// notifications/initialized.
func initialized(log []entry) bool {
	for _, e := range log {
		if e.out && e.m.Method == "notifications/initialized" {
			return true
		}
	}
	return false
}

// serverRequest reports whether m is a request of the server, not a
// notification that wrongly carries an id (message-shape reports those).
func serverRequest(m *message) bool {
	return m.isRequest() && !strings.HasPrefix(m.Method, "notifications/")
}

// checkEarlyRequests looks, in every session, for a request of the server
// that arrived before the checker sent notifications/initialized.
// Lifecycle, initialization: "The server SHOULD NOT send requests other
// than pings and logging before receiving the initialized notification."
func checkEarlyRequests(ctx context.Context, p *probe) {
	p.eachIncoming(func(s *session, before []entry, m *message) bool {
		if serverRequest(m) && m.Method != "ping" && !initialized(before) {
			p.fail(m, "the server sent %s before notifications/initialized", m.Method)
		}
		return len(p.res.Findings) < maxFindings
	})
}

// checkClientCapabilities looks, in every session, for a request of the
// server that needs a client capability the session did not declare.
// Lifecycle, operation: both parties "MUST: [...] Only use capabilities
// that were successfully negotiated". Sampling: "Servers MUST NOT send
// tool-enabled sampling requests to Clients that have not declared
// support for tool use via the sampling.tools capability." Elicitation:
// "Servers MUST NOT send elicitation requests with modes that are not
// supported by the client."
func checkClientCapabilities(ctx context.Context, p *probe) {
	n := 0
	p.eachIncoming(func(s *session, _ []entry, m *message) bool {
		if !serverRequest(m) || m.Method == "ping" {
			return true
		}
		n++
		s.mu.Lock()
		c, rev := s.client, s.version
		s.mu.Unlock()
		if need := c.missing(m, rev); need != "" {
			p.fail(m, "the server sent %s, which needs the client capability %s, which the checker did not declare", m.Method, need)
		}
		return len(p.res.Findings) < maxFindings
	})
	if n == 0 && p.res.Status == Pass {
		p.skip("the server sent the client no request")
	}
}
