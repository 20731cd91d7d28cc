package conform

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// structuredError says why a successful result of a tool with an
// outputSchema breaks it, or nil; a schema that does not compile is
// tools-output-schema's finding.
func structuredError(t *tool, res *callResult) error {
	if len(res.StructuredContent) == 0 || string(res.StructuredContent) == "null" {
		return fmt.Errorf("%s declares an outputSchema but returned no structuredContent", t.Name)
	}
	rs, err := compileSchema(t.OutputSchema)
	if err != nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(res.StructuredContent, &v); err != nil {
		return fmt.Errorf("%s: structuredContent: %v", t.Name, err)
	}
	if err := rs.Validate(v); err != nil {
		return fmt.Errorf("%s: structuredContent does not match the outputSchema: %v", t.Name, err)
	}
	return nil
}

// checkStructuredPaths calls each allowed tool that has an outputSchema
// with more argument sets than tools-call does (every property present,
// each enum value, the bounds of numbers) and validates each structured
// result. Tools, output schema: "If an output schema is provided:
// Servers MUST provide structured results that conform to this schema."
// A call that times out ends the tool's turn.
func checkStructuredPaths(ctx context.Context, p *probe) {
	n := 0
	for _, t := range p.allowedTools(ctx) {
		if !t.hasOutputSchema() {
			continue
		}
		sets, err := argumentSets(t.InputSchema)
		if err != nil {
			continue // tools-call reports it
		}
		for _, args := range sets {
			if p.called(t, args) {
				continue
			}
			m, res, err := callTool(ctx, p.main, t.Name, args, nil)
			p.calls = append(p.calls, &callRecord{tool: t, args: args, msg: m, err: err, result: res})
			if err != nil {
				if m == nil {
					break // no answer: the next set would wait as long
				}
				continue
			}
			if res.IsError {
				continue
			}
			n++
			if err := structuredError(t, res); err != nil {
				data, _ := json.Marshal(args)
				p.fail(m, "called with %s: %v", data, err)
			}
		}
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("no tool with an outputSchema answered other arguments (see --call-tools)")
	}
}

// called reports whether the tool was already called with the arguments.
func (p *probe) called(t *tool, args map[string]any) bool {
	want, _ := json.Marshal(args)
	return slices.ContainsFunc(p.calls, func(c *callRecord) bool {
		got, _ := json.Marshal(c.args)
		return c.tool.Name == t.Name && string(got) == string(want)
	})
}
