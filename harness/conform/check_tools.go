package conform

import (
	"context"
	"encoding/json"
	"regexp"
)

// checkToolsList lists the tools, following every page.
func checkToolsList(ctx context.Context, p *probe) {
	if !p.init.has("tools") {
		p.skip("the server does not advertise tools")
		return
	}
	tools := p.listTools(ctx, p.fail)
	seen := map[string]bool{}
	for _, t := range tools {
		switch {
		case t.Name == "":
			p.fail(string(t.raw), "a tool without a name")
		case seen[t.Name]:
			p.warn(string(t.raw), "two tools are named %q", t.Name)
		}
		seen[t.Name] = true
	}
}

func checkToolsCursor(ctx context.Context, p *probe) {
	if !p.init.has("tools") {
		p.skip("the server does not advertise tools")
		return
	}
	m, err := p.main.call(ctx, "tools/list", map[string]any{"cursor": "conform-garbage-cursor-%%%"})
	p.expectError(m, err, codeInvalidParams, "tools/list with a garbage cursor")
}

var toolName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`)

func checkToolNames(ctx context.Context, p *probe) {
	for _, t := range p.toolsOrSkip(ctx) {
		if !toolName.MatchString(t.Name) {
			p.fail(string(t.raw), "the tool name %q has characters outside A-Z a-z 0-9 _ - . or is too long", t.Name)
		}
	}
}

// checkObjectSchema checks that raw is a JSON Schema describing objects.
func (p *probe) checkObjectSchema(t *tool, field string, raw json.RawMessage) {
	var top struct {
		Type any `json:"type"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		p.fail(string(t.raw), "%s %s is not a JSON object: %v", t.Name, field, err)
		return
	}
	if top.Type != "object" {
		p.fail(string(raw), "%s %s has type %v, want \"object\"", t.Name, field, top.Type)
	}
	if _, err := compileSchema(raw); err != nil {
		p.fail(string(raw), "%s %s is not a valid JSON Schema: %v", t.Name, field, err)
	}
}

func checkInputSchema(ctx context.Context, p *probe) {
	for _, t := range p.toolsOrSkip(ctx) {
		if len(t.InputSchema) == 0 || string(t.InputSchema) == "null" {
			p.fail(string(t.raw), "%s has no inputSchema", t.Name)
			continue
		}
		p.checkObjectSchema(t, "inputSchema", t.InputSchema)
	}
}

func checkOutputSchema(ctx context.Context, p *probe) {
	n := 0
	for _, t := range p.toolsOrSkip(ctx) {
		if len(t.OutputSchema) == 0 || string(t.OutputSchema) == "null" {
			continue
		}
		n++
		p.checkObjectSchema(t, "outputSchema", t.OutputSchema)
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("no tool has an outputSchema")
	}
}

func checkToolAnnotations(ctx context.Context, p *probe) {
	for _, t := range p.toolsOrSkip(ctx) {
		if len(t.Annotations) == 0 || string(t.Annotations) == "null" {
			continue
		}
		var a struct {
			Title           *string `json:"title"`
			ReadOnlyHint    *bool   `json:"readOnlyHint"`
			DestructiveHint *bool   `json:"destructiveHint"`
			IdempotentHint  *bool   `json:"idempotentHint"`
			OpenWorldHint   *bool   `json:"openWorldHint"`
		}
		if err := json.Unmarshal(t.Annotations, &a); err != nil {
			p.fail(string(t.Annotations), "%s annotations: %v", t.Name, err)
		}
	}
}

// checkUnknownTool calls a tool that no server has.
func checkUnknownTool(ctx context.Context, p *probe) {
	if !p.init.has("tools") {
		p.skip("the server does not advertise tools")
		return
	}
	m, _, err := callTool(ctx, p.main, "conform-no-such-tool", map[string]any{}, nil)
	switch {
	case err != nil && m == nil:
		p.fail(err, "calling an unknown tool: %v", err)
	case m.Error == nil:
		p.warn(m, "an unknown tool was answered with a result, not a JSON-RPC error")
	}
}

// checkInvalidArguments calls the allowed tools with arguments their
// schema rejects. It needs permission like any call: a server that does
// not validate its input runs the tool with them.
func checkInvalidArguments(ctx context.Context, p *probe) {
	n := 0
	for _, t := range p.allowedTools(ctx) {
		args, why, ok := invalidArgs(t.InputSchema)
		if !ok {
			continue
		}
		n++
		m, res, err := callTool(ctx, p.main, t.Name, args, nil)
		switch {
		case m == nil:
			p.fail(err, "%s %s: %v", t.Name, why, err)
		case m.Error != nil:
			// A protocol error is what revisions before 2025-11-25 expect.
		case err != nil:
			p.fail(m, "%s %s: %v", t.Name, why, err)
		case !res.IsError:
			p.fail(m, "%s %s succeeded, want isError or error %d", t.Name, why, codeInvalidParams)
		}
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("every inputSchema accepts any arguments")
	}
}
