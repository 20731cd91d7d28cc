package conform

import (
	"encoding/json"
	"slices"
)

// maxTranscript bounds how many messages a session keeps for the checks
// that judge a whole run, so that a chatty server cannot exhaust memory.
const maxTranscript = 20000

// An entry is one message of a session's transcript: out is true for
// what the checker sent.
type entry struct {
	out bool
	m   *message
}

// record appends to the transcript; the caller holds s.mu.
func (s *session) record(e entry) {
	if len(s.transcript) < maxTranscript {
		s.transcript = append(s.transcript, e)
	}
}

// messages returns a copy of the transcript, in order.
func (s *session) messages() []entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.transcript)
}

// allSessions returns every session the run opened, the main one first.
func (r *run) allSessions() []*session {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.sessions)
}

// isRequest reports whether m is a request: a method and an id.
func (m *message) isRequest() bool { return m.Method != "" && m.hasID() }

// members returns the top-level members of the raw message.
func (m *message) members() map[string]json.RawMessage {
	var v map[string]json.RawMessage
	json.Unmarshal(m.raw, &v)
	return v
}

// eachIncoming calls f for every message a server sent, in every session,
// with the session's transcript up to and including it; f returns false
// to stop early.
func (r *run) eachIncoming(f func(s *session, before []entry, m *message) bool) {
	for _, s := range r.allSessions() {
		log := s.messages()
		for i, e := range log {
			if !e.out && !f(s, log[:i], e.m) {
				return
			}
		}
	}
}
