package conform

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// maxPages bounds pagination, so that a server whose cursors never end
// cannot keep the checker listing forever.
const maxPages = 100

// A tool is one entry of tools/list, kept raw for evidence.
type tool struct {
	Name         string          `json:"name"`
	Title        *string         `json:"title"`
	Description  *string         `json:"description"`
	InputSchema  json.RawMessage `json:"inputSchema"`
	OutputSchema json.RawMessage `json:"outputSchema"`
	Annotations  json.RawMessage `json:"annotations"`

	raw json.RawMessage
}

// page is one page of a paginated list: the items under key and the cursor.
type page struct {
	items      []json.RawMessage
	nextCursor *string
	msg        *message
}

// listPage asks for one page of a list method.
func listPage(ctx context.Context, s *session, method, key string, cursor *string) (*page, error) {
	var params any
	if cursor != nil {
		params = map[string]any{"cursor": *cursor}
	}
	m, err := s.call(ctx, method, params)
	if err != nil {
		return nil, err
	}
	var res map[string]json.RawMessage
	if err := decode(m, &res); err != nil {
		return &page{msg: m}, err
	}
	p := &page{msg: m}
	items, ok := res[key]
	if !ok {
		return p, fmt.Errorf("the result has no %q array", key)
	}
	if err := json.Unmarshal(items, &p.items); err != nil {
		return p, fmt.Errorf("%q is not an array: %w", key, err)
	}
	if c, ok := res["nextCursor"]; ok && string(c) != "null" {
		var s string
		if err := json.Unmarshal(c, &s); err != nil {
			return p, fmt.Errorf("nextCursor is not a string")
		}
		p.nextCursor = &s
	}
	return p, nil
}

// listAll follows nextCursor to the end. It reports every page problem
// through fail and returns the items it got.
func listAll(ctx context.Context, s *session, method, key string, fail func(ev any, format string, args ...any)) []json.RawMessage {
	var all []json.RawMessage
	var cursor *string
	var seen []string
	for range maxPages {
		p, err := listPage(ctx, s, method, key, cursor)
		if err != nil {
			var ev any
			if p != nil {
				ev = p.msg
			}
			fail(ev, "%s: %v", method, err)
			return all
		}
		all = append(all, p.items...)
		if p.nextCursor == nil {
			return all
		}
		if slices.Contains(seen, *p.nextCursor) {
			fail(p.msg, "%s: the cursor %q comes back: the pages loop", method, *p.nextCursor)
			return all
		}
		seen = append(seen, *p.nextCursor)
		cursor = p.nextCursor
	}
	fail(nil, "%s: more than %d pages", method, maxPages)
	return all
}

// listTools lists the main session's tools once; the tools-list check
// reports the problems, later checks reuse the list.
func (r *revState) listTools(ctx context.Context, fail func(ev any, format string, args ...any)) []*tool {
	if r.toolsListed {
		return r.tools
	}
	r.toolsListed = true
	if !r.init.has("tools") {
		return nil
	}
	for _, raw := range listAll(ctx, r.main, "tools/list", "tools", fail) {
		t := &tool{raw: raw}
		if err := json.Unmarshal(raw, t); err != nil {
			fail(string(raw), "a tool that does not decode: %v", err)
			continue
		}
		r.tools = append(r.tools, t)
	}
	return r.tools
}

// toolsOrSkip returns the tools for a check, or skips it when there are none.
func (p *probe) toolsOrSkip(ctx context.Context) []*tool {
	if !p.init.has("tools") {
		p.skip("the server does not advertise tools")
		return nil
	}
	tools := p.listTools(ctx, func(any, string, ...any) {})
	if len(tools) == 0 {
		p.skip("the server lists no tools")
	}
	return tools
}

// allowed reports whether the user allows calling the tool.
func (r *run) allowed(name string) bool {
	return r.opts.CallTools || slices.Contains(r.opts.AllowTools, name)
}

// allowedTools returns the tools the user allows calling, or skips.
func (p *probe) allowedTools(ctx context.Context) []*tool {
	var out []*tool
	for _, t := range p.toolsOrSkip(ctx) {
		if p.allowed(t.Name) {
			out = append(out, t)
		}
	}
	if len(out) == 0 && p.res.Status != Skip {
		p.skip("no tool may be called (see --call-tools and --allow-tool)")
	}
	return out
}

// A callRecord is one call of a tool with valid arguments.
type callRecord struct {
	tool     *tool
	args     map[string]any
	msg      *message
	err      error
	duration time.Duration
	result   *callResult
}

// callResult is the result of tools/call.
type callResult struct {
	Content           []json.RawMessage `json:"content"`
	StructuredContent json.RawMessage   `json:"structuredContent"`
	IsError           bool              `json:"isError"`
}

// callTool calls a tool and decodes its result. When meta holds a
// progressToken, each progress notification for it gives the call
// another exchange timeout (see callID).
func callTool(ctx context.Context, s *session, name string, args any, meta map[string]any) (*message, *callResult, error) {
	params := map[string]any{"name": name, "arguments": args}
	if meta != nil {
		params["_meta"] = meta
	}
	m, err := s.call(ctx, "tools/call", params)
	if err != nil {
		return nil, nil, err
	}
	var res callResult
	if err := decode(m, &res); err != nil {
		return m, nil, err
	}
	return m, &res, nil
}
