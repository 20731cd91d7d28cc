package cli

import "github.com/owulveryck/gomcptest/host/llm"

// trim returns the index of the first message to send so that the
// conversation fits in limit bytes: the oldest turns are left out whole
// (a turn starts at a user message), so a tool call is never sent without
// its result. The last turn is always sent, whatever its size.
func trim(msgs []llm.Message, limit int) int {
	size := 0
	start := len(msgs)
	for i := len(msgs) - 1; i >= 0; i-- {
		size += messageSize(msgs[i])
		if msgs[i].Role != llm.RoleUser {
			continue
		}
		if size > limit && start < len(msgs) {
			break
		}
		start = i
	}
	if start == len(msgs) {
		return 0 // no user message: nothing to cut at
	}
	return start
}

// messageSize is about the bytes m takes in a request.
func messageSize(m llm.Message) int {
	n := 0
	for _, p := range m.Parts {
		n += len(p.Text)
		if p.Media != nil {
			n += len(p.Media.Data)
		}
		if c := p.ToolCall; c != nil {
			n += len(c.Name) + len(c.Arguments) + len(c.Signature)
		}
		if r := p.ToolResult; r != nil {
			n += len(r.Name) + len(r.Content)
			for _, md := range r.Media {
				n += len(md.Data)
			}
		}
	}
	return n
}
