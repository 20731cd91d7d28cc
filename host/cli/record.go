package cli

import (
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/llm"
)

// recorder rebuilds, from the events of one run of the agent loop, the
// messages the run added to the conversation (each model turn's text and
// calls, then the calls' results), so the next prompt sends them back. It
// also keeps what -format json reports.
type recorder struct {
	msgs    []llm.Message
	text    strings.Builder           // the current model turn's text
	calls   []llm.ToolCall            // and its calls
	results map[string]llm.ToolResult // by call id, of the whole run
	took    map[string]time.Duration
	// answered: a result of the current turn's calls came, so the next
	// text or call starts a new turn.
	answered bool
	answer   strings.Builder // every turn's text, as the user saw it
	usage    llm.Usage
	finish   llm.FinishReason
	// toolErrors counts results that were errors or refusals.
	toolErrors int
	// allCalls are every call of the run, in order.
	allCalls []llm.ToolCall
}

func newRecorder() *recorder {
	return &recorder{results: make(map[string]llm.ToolResult), took: make(map[string]time.Duration)}
}

func (r *recorder) add(e agent.Event) {
	switch e.Kind {
	case agent.EventText:
		if r.answered {
			r.endTurn()
		}
		r.answer.WriteString(e.Text)
		r.text.WriteString(e.Text)
	case agent.EventToolCall:
		if r.answered {
			r.endTurn()
		}
		r.calls = append(r.calls, *e.ToolCall)
		r.allCalls = append(r.allCalls, *e.ToolCall)
	case agent.EventToolResult:
		r.results[e.ToolResult.CallID] = *e.ToolResult
		r.took[e.ToolResult.CallID] = e.Duration
		r.answered = true
		if e.ToolResult.IsError || e.Refused {
			r.toolErrors++
		}
	case agent.EventUsage:
		r.usage = *e.Usage
	case agent.EventFinish:
		r.finish = e.Finish
	}
}

// endTurn closes the current model turn: its message, then, if it called
// tools, a tool message with a result for each call in call order. A call
// whose result never came (the run was interrupted) gets one that says
// so, since every call must be answered in the history sent back.
func (r *recorder) endTurn() {
	text := r.text.String()
	if len(r.msgs) > 0 {
		text = strings.TrimLeft(text, "\n") // the loop's paragraph break
	}
	if text == "" && len(r.calls) == 0 {
		return
	}
	m := llm.Message{Role: llm.RoleAssistant}
	if text != "" {
		m.Parts = append(m.Parts, llm.Part{Text: text})
	}
	for i := range r.calls {
		m.Parts = append(m.Parts, llm.Part{ToolCall: &r.calls[i]})
	}
	r.msgs = append(r.msgs, m)
	if len(r.calls) > 0 {
		tm := llm.Message{Role: llm.RoleTool}
		for _, c := range r.calls {
			res, ok := r.results[c.ID]
			if !ok {
				res = llm.ToolResult{CallID: c.ID, Name: c.Name, IsError: true, Content: "interrupted by the user before it finished"}
			}
			tm.Parts = append(tm.Parts, llm.Part{ToolResult: &res})
		}
		r.msgs = append(r.msgs, tm)
	}
	r.text.Reset()
	r.calls = nil
	r.answered = false
}

// messages returns the messages of the run so far.
func (r *recorder) messages() []llm.Message {
	r.endTurn()
	return r.msgs
}
