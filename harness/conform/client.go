package conform

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The client capabilities [Options.ClientCaps] may name. A base name
// declares the capability as an empty object, which for elicitation
// means form mode only; a dotted name adds the sub-capability.
const (
	CapSampling      = "sampling"       // sampling: {}
	CapSamplingTools = "sampling.tools" // sampling: {tools: {}}, from 2025-11-25
	CapElicitation   = "elicitation"    // elicitation: {} (form mode)
	CapElicitForm    = "elicitation.form"
	CapElicitURL     = "elicitation.url" // from 2025-11-25
	CapRoots         = "roots"
)

// ClientCapabilities returns every name [Options.ClientCaps] accepts.
func ClientCapabilities() []string {
	return []string{CapSampling, CapSamplingTools, CapElicitation, CapElicitForm, CapElicitURL, CapRoots}
}

// clientCaps is what the checker declares in initialize, and how it
// answers the server's requests for it: with canned, valid answers, so
// that a server's sampling, elicitation and roots round trips run.
type clientCaps struct {
	sampling, samplingTools            bool
	elicitation, elicitForm, elicitURL bool
	roots                              bool
	rootURI                            string // the one root roots/list returns
}

// newClientCaps parses the names of [Options.ClientCaps]; dir is the
// directory the only root names. None gives nil: a client declaring none.
func newClientCaps(names []string, dir string) (*clientCaps, error) {
	if len(names) == 0 {
		return nil, nil
	}
	c := &clientCaps{}
	for _, n := range names {
		switch n {
		case CapSampling:
			c.sampling = true
		case CapSamplingTools:
			c.sampling, c.samplingTools = true, true
		case CapElicitation:
			c.elicitation = true
		case CapElicitForm:
			c.elicitation, c.elicitForm = true, true
		case CapElicitURL:
			c.elicitation, c.elicitURL = true, true
		case CapRoots:
			c.roots = true
		default:
			return nil, fmt.Errorf("client capability %q: want some of %s", n, strings.Join(ClientCapabilities(), ", "))
		}
	}
	if dir == "" {
		dir, _ = os.Getwd()
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	c.rootURI = (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
	return c, nil
}

// object is the capabilities member of initialize.
func (c *clientCaps) object() map[string]any {
	o := map[string]any{}
	if c == nil {
		return o
	}
	if c.sampling {
		s := map[string]any{}
		if c.samplingTools {
			s["tools"] = map[string]any{}
		}
		o["sampling"] = s
	}
	if c.elicitation {
		e := map[string]any{}
		if c.elicitForm {
			e["form"] = map[string]any{}
		}
		if c.elicitURL {
			e["url"] = map[string]any{}
		}
		o["elicitation"] = e
	}
	if c.roots {
		o["roots"] = map[string]any{}
	}
	return o
}

// formMode reports whether the client declared elicitation in form mode:
// an empty elicitation object means form mode.
func (c *clientCaps) formMode() bool {
	return c != nil && c.elicitation && (c.elicitForm || !c.elicitURL)
}

// elicitParams are the members of elicitation/create the checks read.
type elicitParams struct {
	Mode            string          `json:"mode"`
	Message         *string         `json:"message"`
	RequestedSchema json.RawMessage `json:"requestedSchema"`
	ElicitationID   *string         `json:"elicitationId"`
	URL             *string         `json:"url"`
}

// samplingUsesTools reports whether a sampling/createMessage request
// asks for tool use, which needs the sampling.tools capability.
func samplingUsesTools(params json.RawMessage) bool {
	var p struct {
		Tools      json.RawMessage `json:"tools"`
		ToolChoice json.RawMessage `json:"toolChoice"`
	}
	json.Unmarshal(params, &p)
	present := func(v json.RawMessage) bool { return len(v) > 0 && string(v) != "null" }
	return present(p.Tools) || present(p.ToolChoice)
}

// missing says which declared capability a request from the server
// needs and the client did not declare, or "" when it may be sent. rev
// is the session's revision: sub-capabilities exist from 2025-11-25 on.
func (c *clientCaps) missing(m *message, rev string) string {
	if c == nil {
		c = &clientCaps{}
	}
	switch m.Method {
	case "sampling/createMessage":
		switch {
		case !c.sampling:
			return "sampling"
		case rev >= rev20251125 && !c.samplingTools && samplingUsesTools(m.Params):
			return "sampling.tools"
		}
	case "elicitation/create":
		var p elicitParams
		json.Unmarshal(m.Params, &p)
		switch {
		case !c.elicitation:
			return "elicitation"
		case rev < rev20251125:
		case p.Mode == "url" && !c.elicitURL:
			return "elicitation.url"
		case p.Mode != "url" && !c.formMode():
			return "elicitation.form"
		}
	case "roots/list":
		if !c.roots {
			return "roots"
		}
	}
	return ""
}

// cannedText is what the checker's pretend model always answers.
const cannedText = "conform: a canned answer"

// answer returns the canned result of a request the client declared the
// capability for; ok is false for any other request.
func (c *clientCaps) answer(m *message) (result any, ok bool) {
	if c == nil {
		return nil, false
	}
	switch {
	case m.Method == "sampling/createMessage" && c.sampling:
		return map[string]any{
			"role":       "assistant",
			"content":    map[string]any{"type": "text", "text": cannedText},
			"model":      "conform-canned",
			"stopReason": "endTurn",
		}, true
	case m.Method == "elicitation/create" && c.elicitation:
		var p elicitParams
		json.Unmarshal(m.Params, &p)
		if p.Mode == "url" {
			return map[string]any{"action": "decline"}, true
		}
		// A user fills in the whole form, optional fields too.
		sets, err := argumentSets(p.RequestedSchema)
		if err != nil || len(sets) == 0 {
			return map[string]any{"action": "decline"}, true
		}
		content := slices.MaxFunc(sets, func(a, b map[string]any) int { return len(a) - len(b) })
		return map[string]any{"action": "accept", "content": content}, true
	case m.Method == "roots/list" && c.roots:
		return map[string]any{"roots": []any{map[string]any{"uri": c.rootURI, "name": "conform"}}}, true
	}
	return nil, false
}
