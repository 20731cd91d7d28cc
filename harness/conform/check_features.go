package conform

import (
	"context"
	"encoding/json"
	"fmt"
)

// readLimit is how many resources or prompts a check reads, to bound it.
const readLimit = 5

func checkSetLevel(ctx context.Context, p *probe) {
	if !p.init.has("logging") {
		p.skip("the server does not advertise logging")
		return
	}
	m, err := p.main.call(ctx, "logging/setLevel", map[string]any{"level": "debug"})
	switch {
	case err != nil:
		p.fail(err, "logging/setLevel: %v", err)
	case m.Error != nil:
		p.fail(m, "logging/setLevel debug got an error")
	}
	// Restore a quiet level so that later output stays small.
	p.main.call(ctx, "logging/setLevel", map[string]any{"level": "warning"})
}

func checkResources(ctx context.Context, p *probe) {
	if !p.init.has("resources") {
		p.skip("the server does not advertise resources")
		return
	}
	items := listAll(ctx, p.main, "resources/list", "resources", p.fail)
	for i, raw := range items {
		var r struct {
			URI  string `json:"uri"`
			Name string `json:"name"`
		}
		if err := json.Unmarshal(raw, &r); err != nil || r.URI == "" || r.Name == "" {
			p.fail(string(raw), "a resource needs a uri and a name")
			continue
		}
		if err := checkAnnotations(annotationsOf(raw)); err != nil {
			p.fail(string(raw), "resource %s: %v", r.URI, err)
		}
		if i >= readLimit {
			continue
		}
		m, err := p.main.call(ctx, "resources/read", map[string]any{"uri": r.URI})
		if err != nil {
			p.fail(err, "resources/read %s: %v", r.URI, err)
			continue
		}
		if m.Error != nil {
			// A listed resource may fail to read ("Internal errors:
			// -32603"); no rule says it must not.
			p.note(m, "resources/read %s got an error", r.URI)
			continue
		}
		var res struct {
			Contents []json.RawMessage `json:"contents"`
		}
		if err := decode(m, &res); err != nil {
			p.fail(m, "resources/read %s: %v", r.URI, err)
			continue
		}
		for _, c := range res.Contents {
			if err := checkResourceContents(c); err != nil {
				p.fail(m, "resources/read %s: %v", r.URI, err)
			}
		}
	}
	for _, raw := range listAll(ctx, p.main, "resources/templates/list", "resourceTemplates", p.fail) {
		var t struct {
			URITemplate string `json:"uriTemplate"`
			Name        string `json:"name"`
		}
		if err := json.Unmarshal(raw, &t); err != nil || t.URITemplate == "" || t.Name == "" {
			p.fail(string(raw), "a resource template needs a uriTemplate and a name")
		}
	}
	m, err := p.main.call(ctx, "resources/read", map[string]any{"uri": "conform:///no-such-resource"})
	if err != nil {
		p.fail(err, "resources/read of an unknown resource: %v", err)
	} else if m.Error == nil {
		p.warn(m, "resources/read of an unknown resource got a result, not an error")
	}
}

func annotationsOf(raw json.RawMessage) json.RawMessage {
	var v struct {
		Annotations json.RawMessage `json:"annotations"`
	}
	json.Unmarshal(raw, &v)
	return v.Annotations
}

func checkPrompts(ctx context.Context, p *probe) {
	if !p.init.has("prompts") {
		p.skip("the server does not advertise prompts")
		return
	}
	items := listAll(ctx, p.main, "prompts/list", "prompts", p.fail)
	for i, raw := range items {
		var pr struct {
			Name      string `json:"name"`
			Arguments []struct {
				Name     string `json:"name"`
				Required bool   `json:"required"`
			} `json:"arguments"`
		}
		if err := json.Unmarshal(raw, &pr); err != nil || pr.Name == "" {
			p.fail(string(raw), "a prompt needs a name")
			continue
		}
		if i >= readLimit {
			continue
		}
		args := map[string]string{}
		for _, a := range pr.Arguments {
			if a.Required {
				args[a.Name] = "x"
			}
		}
		m, err := p.main.call(ctx, "prompts/get", map[string]any{"name": pr.Name, "arguments": args})
		switch {
		case err != nil:
			p.fail(err, "prompts/get %s: %v", pr.Name, err)
		case m.Error != nil:
			// The arguments are made up: a server that validates them
			// ("Servers SHOULD validate prompt arguments before
			// processing") may rightly refuse.
			p.note(m, "prompts/get %s with made-up arguments %v was refused", pr.Name, args)
		default:
			if err := checkPromptResult(m); err != nil {
				p.fail(m, "prompts/get %s: %v", pr.Name, err)
			}
		}
	}
	m, err := p.main.call(ctx, "prompts/get", map[string]any{"name": "conform-no-such-prompt"})
	if err != nil {
		p.fail(err, "prompts/get of an unknown prompt: %v", err)
	} else if m.Error == nil {
		p.warn(m, "prompts/get of an unknown prompt got a result, not an error")
	}
}

func checkPromptResult(m *message) error {
	var res struct {
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if err := decode(m, &res); err != nil {
		return err
	}
	for _, msg := range res.Messages {
		if msg.Role != "user" && msg.Role != "assistant" {
			return fmt.Errorf("role %q is not user or assistant", msg.Role)
		}
		if err := checkContent(msg.Content); err != nil {
			return err
		}
	}
	return nil
}
