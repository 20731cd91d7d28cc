package conform

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// isObject reports whether raw is a JSON object.
func isObject(raw json.RawMessage) bool {
	var v map[string]json.RawMessage
	return json.Unmarshal(raw, &v) == nil && v != nil
}

// flagsOf returns the boolean sub-capabilities of a list capability.
func flagsOf(capability string) []string {
	switch capability {
	case "prompts", "tools":
		return []string{"listChanged"}
	case "resources":
		return []string{"subscribe", "listChanged"}
	}
	return nil
}

// capabilityError says why one known server capability is malformed.
func capabilityError(name string, raw json.RawMessage, rev string) error {
	var v map[string]json.RawMessage
	if json.Unmarshal(raw, &v) != nil || v == nil {
		return fmt.Errorf("%s is %s, not an object", name, raw)
	}
	for _, f := range flagsOf(name) {
		if b, ok := v[f]; ok && string(b) != "true" && string(b) != "false" {
			return fmt.Errorf("%s.%s is %s, not a boolean", name, f, b)
		}
	}
	switch {
	case name == "experimental":
		for k, sub := range v {
			if !isObject(sub) {
				return fmt.Errorf("experimental.%s is %s, not an object", k, sub)
			}
		}
	case name == "tasks" && rev >= rev20251125:
		for _, path := range [][]string{{"list"}, {"cancel"}, {"requests"}, {"requests", "tools"}, {"requests", "tools", "call"}} {
			if sub, ok := member(raw, path...); ok && !isObject(sub) {
				return fmt.Errorf("tasks.%s is %s, not an object", strings.Join(path, "."), sub)
			}
		}
	}
	return nil
}

// member returns the member of a JSON object at the path.
func member(raw json.RawMessage, path ...string) (json.RawMessage, bool) {
	for _, k := range path {
		var v map[string]json.RawMessage
		if json.Unmarshal(raw, &v) != nil {
			return nil, false
		}
		var ok bool
		if raw, ok = v[k]; !ok {
			return nil, false
		}
	}
	return raw, true
}

// announced says which capability a notification of the server needs,
// and whether the server declared it.
func (i *initResult) announced(method string) (need string, ok bool) {
	flag := func(capability, f string) (string, bool) {
		b, _ := member(i.Capabilities[capability], f)
		return capability + "." + f, string(b) == "true"
	}
	switch method {
	case "notifications/message":
		return "logging", i.has("logging")
	case "notifications/tools/list_changed":
		return flag("tools", "listChanged")
	case "notifications/prompts/list_changed":
		return flag("prompts", "listChanged")
	case "notifications/resources/list_changed":
		return flag("resources", "listChanged")
	case "notifications/resources/updated":
		return flag("resources", "subscribe")
	}
	return "", true
}

// checkServerCapabilities judges the capabilities the server declared
// against the schema (ServerCapabilities: each known capability an
// object, listChanged and subscribe booleans), and every notification it
// sent against them. Lifecycle, operation: both parties "MUST: [...] Only
// use capabilities that were successfully negotiated"; logging: "Servers
// that emit log message notifications MUST declare the logging
// capability". A change notification cannot be triggered from outside,
// so listChanged is judged only when the server sends one.
func checkServerCapabilities(ctx context.Context, p *probe) {
	known := []string{"experimental", "logging", "completions", "prompts", "resources", "tools", "tasks"}
	for name, raw := range p.init.Capabilities {
		if !slices.Contains(known, name) {
			continue // the set is open: a server may add its own
		}
		if err := capabilityError(name, raw, p.rev); err != nil {
			p.fail(string(raw), "capabilities: %v", err)
		}
	}
	p.eachIncoming(func(s *session, _ []entry, m *message) bool {
		if m.isRequest() {
			return true
		}
		if need, ok := p.init.announced(m.Method); !ok {
			p.fail(m, "the server sent %s without declaring %s", m.Method, need)
		}
		return len(p.res.Findings) < maxFindings
	})
}

// completionRef finds something to complete: an argument of a prompt, or
// a variable of a resource template.
func (p *probe) completionRef(ctx context.Context) (ref map[string]any, arg string, ok bool) {
	if p.init.has("prompts") {
		for _, raw := range listAll(ctx, p.main, "prompts/list", "prompts", func(any, string, ...any) {}) {
			var pr struct {
				Name      string `json:"name"`
				Arguments []struct {
					Name string `json:"name"`
				} `json:"arguments"`
			}
			if json.Unmarshal(raw, &pr) == nil && len(pr.Arguments) > 0 && pr.Arguments[0].Name != "" {
				return map[string]any{"type": "ref/prompt", "name": pr.Name}, pr.Arguments[0].Name, true
			}
		}
	}
	if p.init.has("resources") {
		for _, raw := range listAll(ctx, p.main, "resources/templates/list", "resourceTemplates", func(any, string, ...any) {}) {
			var t struct {
				URITemplate string `json:"uriTemplate"`
			}
			json.Unmarshal(raw, &t)
			if v := templateVariable(t.URITemplate); v != "" {
				return map[string]any{"type": "ref/resource", "uri": t.URITemplate}, v, true
			}
		}
	}
	return nil, "", false
}

// templateVariable returns the first variable of a URI template.
func templateVariable(tmpl string) string {
	i := strings.Index(tmpl, "{")
	j := strings.Index(tmpl, "}")
	if i < 0 || j < i {
		return ""
	}
	name := strings.TrimLeft(tmpl[i+1:j], "+#./;?&")
	name, _, _ = strings.Cut(name, ",")
	return strings.TrimRight(name, "*")
}

// checkCompletions asks for completions of a prompt argument or a
// resource template variable, when the server advertises completions.
// Completion: "Servers that support completions MUST declare the
// completions capability", and the schema's CompleteResult: values is
// "An array of completion values. Must not exceed 100 items", total a
// number, hasMore a boolean. A server may refuse to complete one
// argument, so only "method not found" counts as a broken capability.
func checkCompletions(ctx context.Context, p *probe) {
	if !p.init.has("completions") {
		p.skip("the server does not advertise completions")
		return
	}
	ref, arg, ok := p.completionRef(ctx)
	if !ok {
		p.skip("no prompt argument or resource template to complete")
		return
	}
	m, err := p.main.call(ctx, "completion/complete", map[string]any{"ref": ref, "argument": map[string]any{"name": arg, "value": ""}})
	switch {
	case err != nil:
		p.fail(err, "completion/complete: %v", err)
		return
	case m.Error != nil && m.Error.Code == codeMethodNotFound:
		p.fail(m, "the server advertises completions, but completion/complete is not found")
		return
	case m.Error != nil:
		p.skip("completion/complete of %s refused: %v", arg, m.Error)
		return
	}
	var res struct {
		Completion *struct {
			Values  *[]string `json:"values"`
			Total   *float64  `json:"total"`
			HasMore *bool     `json:"hasMore"`
		} `json:"completion"`
	}
	switch err := json.Unmarshal(m.Result, &res); {
	case err != nil:
		p.fail(m, "completion/complete: the result does not match CompleteResult: %v", err)
	case res.Completion == nil || res.Completion.Values == nil:
		p.fail(m, "completion/complete: the result has no completion.values array")
	case len(*res.Completion.Values) > 100:
		p.fail(m, "completion/complete: %d values, more than 100", len(*res.Completion.Values))
	}
}

// checkSubscribe subscribes to a listed resource and unsubscribes, when
// the server advertises resources.subscribe. Lifecycle: "Both parties
// MUST: [...] Only use capabilities that were successfully negotiated",
// and a declared capability is one the client may use. A server may
// refuse one resource, so only "method not found" counts as a broken
// capability.
func checkSubscribe(ctx context.Context, p *probe) {
	if b, _ := member(p.init.Capabilities["resources"], "subscribe"); string(b) != "true" {
		p.skip("the server does not advertise resources.subscribe")
		return
	}
	var uri string
	for _, raw := range listAll(ctx, p.main, "resources/list", "resources", func(any, string, ...any) {}) {
		var r struct {
			URI string `json:"uri"`
		}
		if json.Unmarshal(raw, &r) == nil && r.URI != "" {
			uri = r.URI
			break
		}
	}
	if uri == "" {
		p.skip("the server lists no resource to subscribe to")
		return
	}
	for _, method := range []string{"resources/subscribe", "resources/unsubscribe"} {
		m, err := p.main.call(ctx, method, map[string]any{"uri": uri})
		switch {
		case err != nil:
			p.fail(err, "%s %s: %v", method, uri, err)
		case m.Error != nil && m.Error.Code == codeMethodNotFound:
			p.fail(m, "the server advertises resources.subscribe, but %s is not found", method)
		case m.Error == nil && !isObject(m.Result):
			p.fail(m, "%s: the result is not an object", method)
		}
	}
}

// logLevels are the levels of notifications/message, least severe first.
func logLevels() []string {
	return []string{"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"}
}

// checkLogMessages sets the log level to debug, calls each tool that
// succeeded once more so that it may log, and judges every
// notifications/message of the run against the schema
// (LoggingMessageNotificationParams: a level among the eight of RFC 5424,
// data, an optional logger string). Without tools to call, it judges
// what the run received.
func checkLogMessages(ctx context.Context, p *probe) {
	if p.init.has("logging") {
		if m, err := p.main.call(ctx, "logging/setLevel", map[string]any{"level": "debug"}); err == nil && m.Error == nil {
			called := map[string]bool{}
			for _, c := range p.calls {
				if c.result != nil && !c.result.IsError && !called[c.tool.Name] {
					called[c.tool.Name] = true
					callTool(ctx, p.main, c.tool.Name, c.args, nil)
				}
			}
			p.main.call(ctx, "logging/setLevel", map[string]any{"level": "warning"})
		}
	}
	n := 0
	p.eachIncoming(func(s *session, _ []entry, m *message) bool {
		if m.Method != "notifications/message" {
			return true
		}
		n++
		var lp map[string]json.RawMessage
		json.Unmarshal(m.Params, &lp)
		var level string
		json.Unmarshal(lp["level"], &level)
		logger, named := lp["logger"]
		switch _, data := lp["data"]; {
		case !slices.Contains(logLevels(), level):
			p.fail(m, "notifications/message: the level is not one of %v", logLevels())
		case !data:
			p.fail(m, "notifications/message: no data")
		case named && !strings.HasPrefix(string(logger), `"`):
			p.fail(m, "notifications/message: the logger is not a string")
		}
		return len(p.res.Findings) < maxFindings
	})
	if n == 0 && p.res.Status == Pass {
		p.skip("the server sent no log message (its tools may, with --call-tools)")
	}
}
