package cli

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/owulveryck/gomcptest/host/llm"
	"github.com/owulveryck/gomcptest/host/openai"
)

// historyFile is a saved conversation (-history, /save): the messages in
// the OpenAI chat format, so that other tools can read and write it. Tool
// calls keep their Gemini thought signature as extra_content, as
// openaiserver sends them. The system prompt is not saved: it comes from
// the settings of the session that resumes.
type historyFile struct {
	Model    string           `json:"model,omitempty"`
	Messages []openai.Message `json:"messages"`
}

// loadHistory reads a conversation saved by saveHistory. A file that does
// not exist is an empty conversation.
func loadHistory(name string) ([]llm.Message, error) {
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the conversation: %w", err)
	}
	var h historyFile
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("reading the conversation %s: %w", name, err)
	}
	msgs, err := fromOpenAI(h.Messages)
	if err != nil {
		return nil, fmt.Errorf("reading the conversation %s: %w", name, err)
	}
	return msgs, nil
}

// saveHistory writes msgs to name, replacing it whole (never half
// written), readable by its owner only.
func saveHistory(name, model string, msgs []llm.Message) error {
	b, err := json.MarshalIndent(historyFile{Model: model, Messages: toOpenAI(msgs)}, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the conversation: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".cligcp-*.json")
	if err != nil {
		return fmt.Errorf("saving the conversation: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is none
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("saving the conversation: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving the conversation: %w", err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("saving the conversation: %w", err)
	}
	return nil
}

// toOpenAI writes a conversation as OpenAI chat messages: one message per
// tool result. OpenAI's tool messages have no error flag, so a failed
// tool's text starts with "error: ".
func toOpenAI(msgs []llm.Message) []openai.Message {
	var out []openai.Message
	for _, m := range msgs {
		switch m.Role {
		case llm.RoleTool:
			for _, p := range m.Parts {
				if r := p.ToolResult; r != nil {
					text := r.Content
					if r.IsError && !strings.HasPrefix(text, "error: ") {
						text = "error: " + text
					}
					out = append(out, openai.Message{Role: "tool", ToolCallID: r.CallID, Name: r.Name, Content: openai.Text(text)})
				}
			}
		default:
			om := openai.Message{Role: string(m.Role)}
			var text strings.Builder
			for _, p := range m.Parts {
				text.WriteString(p.Text)
				if c := p.ToolCall; c != nil {
					tc := openai.ToolCall{ID: c.ID, Type: "function", Function: openai.FunctionCall{Name: c.Name, Arguments: string(c.Arguments)}}
					if len(c.Signature) > 0 {
						tc.ExtraContent = &openai.ExtraContent{Google: &openai.GoogleExtra{ThoughtSignature: base64.StdEncoding.EncodeToString(c.Signature)}}
					}
					om.ToolCalls = append(om.ToolCalls, tc)
				}
			}
			if text.Len() > 0 || m.Role == llm.RoleUser {
				om.Content = openai.Text(text.String())
			}
			out = append(out, om)
		}
	}
	return out
}

// fromOpenAI reads OpenAI chat messages back; consecutive tool messages
// become one tool message, as the agent loop makes them. System messages
// are skipped.
func fromOpenAI(msgs []openai.Message) ([]llm.Message, error) {
	var out []llm.Message
	names := make(map[string]string) // call id -> tool name
	for i, m := range msgs {
		switch m.Role {
		case "system", "developer":
		case "user":
			out = append(out, llm.Message{Role: llm.RoleUser, Parts: []llm.Part{{Text: m.Content.String()}}})
		case "assistant":
			am := llm.Message{Role: llm.RoleAssistant}
			if t := m.Content.String(); t != "" {
				am.Parts = append(am.Parts, llm.Part{Text: t})
			}
			for _, tc := range m.ToolCalls {
				c := llm.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: json.RawMessage(orEmptyObject(tc.Function.Arguments))}
				if !json.Valid(c.Arguments) {
					return nil, fmt.Errorf("message %d: the arguments of tool call %s are not JSON", i+1, tc.ID)
				}
				if x := tc.ExtraContent; x != nil && x.Google != nil && x.Google.ThoughtSignature != "" {
					sig, err := base64.StdEncoding.DecodeString(x.Google.ThoughtSignature)
					if err != nil {
						return nil, fmt.Errorf("message %d: the thought signature of tool call %s is not base64", i+1, tc.ID)
					}
					c.Signature = sig
				}
				names[c.ID] = c.Name
				am.Parts = append(am.Parts, llm.Part{ToolCall: &c})
			}
			out = append(out, am)
		case "tool":
			r := &llm.ToolResult{CallID: m.ToolCallID, Name: names[m.ToolCallID], Content: m.Content.String()}
			if r.Name == "" {
				r.Name = m.Name
			}
			if n := len(out); n > 0 && out[n-1].Role == llm.RoleTool {
				out[n-1].Parts = append(out[n-1].Parts, llm.Part{ToolResult: r})
			} else {
				out = append(out, llm.Message{Role: llm.RoleTool, Parts: []llm.Part{{ToolResult: r}}})
			}
		default:
			return nil, fmt.Errorf("message %d: unknown role %q", i+1, m.Role)
		}
	}
	return out, nil
}

func orEmptyObject(s string) string {
	if strings.TrimSpace(s) == "" {
		return "{}"
	}
	return s
}
