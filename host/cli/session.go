package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/owulveryck/gomcptest/host/agent"
	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

// errInterrupted ends a turn the user stopped with Ctrl-C.
var errInterrupted = errors.New("interrupted")

// session is one conversation on a terminal.
type session struct {
	cfg      config
	agent    *agent.Agent
	provider llm.Provider
	tools    []toolbox.Tool
	decls    []llm.Tool
	where    string // where the model runs, for the welcome line
	offline  bool   // the model is the built-in offline one
	model    string
	system   []string
	messages []llm.Message
	trimmed  int // messages left out of the last turn
	view     *view
	input    lineReader // nil for -noninteractive
	stderr   io.Writer
	inTTY    bool

	mu         sync.Mutex
	cancelTurn context.CancelFunc // set while a turn runs
	stopping   bool               // the running turn was interrupted
	idle       int                // interrupts in a row with no turn running
	quit       context.CancelFunc // ends the session
}

// watch handles the user's interrupts until ctx ends: the first one
// during a turn stops it, with its tools; a second one, or two in a row
// with no turn running (one from a pipe), ends the session.
func (s *session) watch(ctx context.Context, interrupts <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-interrupts:
			s.interrupt()
		}
	}
}

func (s *session) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.cancelTurn != nil && !s.stopping:
		s.stopping = true
		s.cancelTurn()
		s.view.note("^C: stopping the answer and its tools (Ctrl-C again to exit)")
	case s.cancelTurn != nil || !s.inTTY:
		s.quit()
	default:
		s.idleInterrupt()
	}
}

// idleInterrupt counts a Ctrl-C at the prompt; s.mu is held.
func (s *session) idleInterrupt() {
	s.idle++
	if s.idle >= 2 {
		s.quit()
		return
	}
	s.view.note("(Ctrl-C again or Ctrl-D to exit)")
}

// ask reads the answer to a question of -approve, the view held so that no
// output comes between the question and the answer.
func (s *session) ask(ctx context.Context, question string) (string, error) {
	if s.input == nil {
		return "", io.EOF // -noninteractive: stdin held the prompt
	}
	s.view.mu.Lock()
	err := s.view.endText()
	var answer string
	if err == nil {
		answer, err = s.input.readLine(ctx, question)
	}
	s.view.mu.Unlock()
	if errors.Is(err, errCtrlC) {
		s.interrupt() // a terminal in raw mode sends no signal
	}
	return answer, err
}

// interact runs the session: prompts and commands until the input ends,
// /exit, or the user interrupts twice.
func (s *session) interact(ctx context.Context) (int, error) {
	s.welcome()
	for {
		line, err := readPrompt(ctx, s.input, "> ")
		switch {
		case errors.Is(err, errCtrlC):
			s.mu.Lock()
			if strings.TrimSpace(line) == "" {
				s.idleInterrupt()
			}
			s.mu.Unlock()
			continue
		case errors.Is(err, io.EOF), ctx.Err() != nil:
			return 0, nil
		case err != nil:
			return 1, err
		}
		s.mu.Lock()
		s.idle = 0
		s.mu.Unlock()
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "/"):
			if s.command(line) {
				return 0, nil
			}
		default:
			if _, err := s.turn(ctx, line); err != nil && !errors.Is(err, errInterrupted) {
				s.view.note("error: %v", err)
			}
		}
	}
}

// once runs one prompt (-p, -noninteractive) and reports the answer: its
// text as it streams, or with -format json one object at the end. The exit
// code is 1 when the model failed or a tool call failed or was refused.
func (s *session) once(ctx context.Context, prompt string, out io.Writer) (int, error) {
	if prompt == "" {
		return 2, errors.New("no prompt: give one with -p, or on stdin with -noninteractive")
	}
	rec, err := s.turn(ctx, prompt)
	if s.cfg.format == "json" {
		if werr := writeJSON(out, s.model, rec, err); werr != nil {
			return 1, werr
		}
	}
	switch {
	case err != nil:
		return 1, err
	case rec.toolErrors > 0:
		return 1, fmt.Errorf("tool calls that failed or were refused: %d", rec.toolErrors)
	}
	return 0, nil
}

// turn sends prompt with the conversation so far and runs the agent loop
// until the model answers. What the turn added is kept, even when it
// was interrupted, unless it added nothing.
func (s *session) turn(ctx context.Context, prompt string) (*recorder, error) {
	s.messages = append(s.messages, llm.Message{Role: llm.RoleUser, Parts: []llm.Part{{Text: prompt}}})
	start := trim(s.messages, s.cfg.contextBytes)
	if start > 0 && start != s.trimmed {
		s.view.note("(the conversation is longer than -context-bytes %d: its %d oldest messages are left out from now on; /clear starts afresh)", s.cfg.contextBytes, start)
	}
	s.trimmed = start
	req := &llm.Request{Model: s.model, System: s.system, Messages: s.messages[start:], Tools: s.decls}
	req.Options.Temperature = s.cfg.temperature
	req.Options.MaxTokens = s.cfg.maxTokens

	tctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.mu.Lock()
	s.cancelTurn, s.stopping = cancel, false
	s.mu.Unlock()
	rec := newRecorder()
	err := s.agent.Run(tctx, agent.Input{Request: req}, func(e agent.Event) error {
		rec.add(e)
		return s.view.event(e)
	})
	s.mu.Lock()
	stopped := s.stopping
	s.cancelTurn = nil
	s.mu.Unlock()
	_ = s.view.event(agent.Event{Kind: agent.EventFinish}) // end the text
	if stopped && ctx.Err() == nil {
		err = errInterrupted
	}

	if added := rec.messages(); len(added) > 0 {
		s.messages = append(s.messages, added...)
	} else if err != nil {
		s.messages = s.messages[:len(s.messages)-1] // nothing to keep
	}
	if errors.Is(err, errInterrupted) {
		s.view.note("(interrupted: what was said so far is kept)")
	}
	if s.cfg.history != "" {
		if serr := saveHistory(s.cfg.history, s.model, s.messages); serr != nil {
			s.view.note("error: %v", serr)
		}
	}
	return rec, err
}

// welcome shows the model and the tools, and the resumed conversation.
func (s *session) welcome() {
	names := make([]string, len(s.tools))
	for i, t := range s.tools {
		names[i] = t.Name
	}
	tools := "no tools (add some with -mcpservers)"
	if len(names) > 0 {
		tools = "tools: " + strings.Join(names, ", ")
	}
	s.view.println(fmt.Sprintf("cliGCP · %s %s · %s · /help for commands, Ctrl-D to exit", s.view.style(bold, s.model), s.where, tools))
	if s.offline {
		s.view.note("(no Google credentials: the offline model answers from a few rules; set GCP_PROJECT or GEMINI_API_KEY for Gemini)")
	}
	if len(s.messages) > 0 {
		s.view.note("(resumed %d messages from %s)", len(s.messages), s.cfg.history)
	}
}

const commandHelp = `/help          this help
/tools         the tools the model may call
/model [NAME]  the model in use, or use NAME from now on
/clear         forget the conversation (and empty -history's file)
/save FILE     save the conversation to FILE (JSON, as -history reads it)
/exit          end the session (or Ctrl-D)
A line ending with \ goes on on the next line; """ opens and closes a block.
Ctrl-C stops the running answer and its tools.`

// command runs a /command and reports whether the session ends.
func (s *session) command(line string) bool {
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case "/help":
		s.view.println(commandHelp)
	case "/tools":
		if len(s.tools) == 0 {
			s.view.println("no tools: start cliGCP with -mcpservers")
		}
		for _, t := range s.tools {
			desc, _, _ := strings.Cut(strings.TrimSpace(t.Description), "\n")
			s.view.println(fmt.Sprintf("%s (%s): %s", s.view.style(bold, t.Name), t.Server, short(desc, 100)))
		}
	case "/model":
		s.modelCommand(arg)
	case "/clear":
		s.messages, s.trimmed = nil, 0
		if s.cfg.history != "" {
			if err := saveHistory(s.cfg.history, s.model, nil); err != nil {
				s.view.note("error: %v", err)
			}
		}
		s.view.note("(the conversation is cleared)")
	case "/save":
		if arg == "" {
			s.view.note("usage: /save FILE")
			break
		}
		if err := saveHistory(arg, s.model, s.messages); err != nil {
			s.view.note("error: %v", err)
			break
		}
		s.view.note("(saved %d messages to %s)", len(s.messages), arg)
	case "/exit", "/quit":
		return true
	default:
		s.view.note("unknown command %s: /help lists them", name)
	}
	return false
}

func (s *session) modelCommand(name string) {
	var ids []string
	for _, m := range s.provider.Models() {
		ids = append(ids, m.ID)
	}
	if name == "" {
		s.view.println(fmt.Sprintf("model: %s (available: %s)", s.model, strings.Join(ids, ", ")))
		return
	}
	s.model = name
	if len(ids) > 0 && !slices.Contains(ids, name) {
		s.view.note("(%s is not one of %s; trying it anyway)", name, strings.Join(ids, ", "))
		return
	}
	s.view.note("(model: %s)", name)
}

// jsonAnswer is the output of -format json.
type jsonAnswer struct {
	Model        string         `json:"model"`
	Answer       string         `json:"answer"`
	ToolCalls    []jsonToolCall `json:"tool_calls"`
	Usage        jsonUsage      `json:"usage"`
	FinishReason string         `json:"finish_reason,omitempty"`
	Error        string         `json:"error,omitempty"`
}

type jsonToolCall struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Arguments  json.RawMessage `json:"arguments"`
	Result     string          `json:"result"`
	IsError    bool            `json:"is_error"`
	DurationMS int64           `json:"duration_ms"`
}

type jsonUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

func writeJSON(w io.Writer, model string, rec *recorder, runErr error) error {
	a := jsonAnswer{
		Model:        model,
		Answer:       strings.TrimSpace(rec.answer.String()),
		ToolCalls:    []jsonToolCall{},
		Usage:        jsonUsage{rec.usage.PromptTokens, rec.usage.CompletionTokens, rec.usage.TotalTokens()},
		FinishReason: string(rec.finish),
	}
	if runErr != nil {
		a.Error = runErr.Error()
	}
	for _, c := range rec.allCalls {
		r := rec.results[c.ID]
		a.ToolCalls = append(a.ToolCalls, jsonToolCall{ID: c.ID, Name: c.Name, Arguments: c.Arguments, Result: r.Content, IsError: r.IsError, DurationMS: rec.took[c.ID].Milliseconds()})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		return fmt.Errorf("writing the answer: %w", err)
	}
	return nil
}
