package conform

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// serverInfo returns the main session's serverInfo as the server sent
// it, from the answer to initialize or server/discover.
func (p *probe) serverInfo() (json.RawMessage, *message) {
	for _, e := range p.main.messages() {
		if e.out || !e.m.isResponse() || e.m.Error != nil {
			continue
		}
		if info, ok := member(e.m.Result, "serverInfo"); ok {
			return info, e.m
		}
		if info, ok := member(e.m.Result, "_meta", "io.modelcontextprotocol/serverInfo"); ok {
			return info, e.m
		}
		return nil, e.m // the handshake's answer is the first
	}
	return nil, nil
}

// absoluteURI reports whether s is a URI with a scheme, as the schema's
// "format": "uri" asks.
func absoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != ""
}

// iconError says why an icon is malformed, or nil.
func iconError(raw json.RawMessage) error {
	var ic struct {
		Src      *string   `json:"src"`
		MimeType *string   `json:"mimeType"`
		Sizes    *[]string `json:"sizes"`
		Theme    *string   `json:"theme"`
	}
	if err := json.Unmarshal(raw, &ic); err != nil {
		return fmt.Errorf("an icon does not match the schema: %v", err)
	}
	switch {
	case ic.Src == nil || !absoluteURI(*ic.Src):
		return fmt.Errorf("an icon needs src, a URI (an https: or data: URL)")
	case ic.Theme != nil && *ic.Theme != "light" && *ic.Theme != "dark":
		return fmt.Errorf("icon theme %q is not light or dark", *ic.Theme)
	}
	return nil
}

// iconsError checks the icons member of an object, if it has one.
func iconsError(raw json.RawMessage) error {
	icons, ok := member(raw, "icons")
	if !ok || string(icons) == "null" {
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(icons, &list); err != nil {
		return fmt.Errorf("icons is not an array")
	}
	for _, ic := range list {
		if err := iconError(ic); err != nil {
			return err
		}
	}
	return nil
}

// checkIcons judges the icons of the server, its tools, prompts,
// resources and resource templates against the schema's Icon: src "A
// standard URI pointing to an icon resource" (format uri), an optional
// mimeType string, sizes an array of strings, theme "light" or "dark".
func checkIcons(ctx context.Context, p *probe) {
	n := 0
	judge := func(what string, raw json.RawMessage) {
		if _, ok := member(raw, "icons"); ok {
			n++
		}
		if err := iconsError(raw); err != nil {
			p.fail(string(raw), "%s: %v", what, err)
		}
	}
	if info, _ := p.serverInfo(); info != nil {
		judge("serverInfo", info)
	}
	for _, t := range p.listTools(ctx, func(any, string, ...any) {}) {
		judge("tool "+t.Name, t.raw)
	}
	quiet := func(any, string, ...any) {}
	for _, l := range []struct{ capability, method, key string }{
		{"prompts", "prompts/list", "prompts"},
		{"resources", "resources/list", "resources"},
		{"resources", "resources/templates/list", "resourceTemplates"},
	} {
		if !p.init.has(l.capability) {
			continue
		}
		for _, raw := range listAll(ctx, p.main, l.method, l.key, quiet) {
			var item struct {
				Name string `json:"name"`
			}
			json.Unmarshal(raw, &item)
			judge(l.key+" "+item.Name, raw)
		}
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("nothing the server lists has icons")
	}
}

// checkServerInfo judges the display fields of serverInfo against the
// schema's Implementation: title and description strings, and
// websiteUrl "An optional URL of the website for this implementation"
// (format uri). The description and websiteUrl exist from 2025-11-25 on.
func checkServerInfo(ctx context.Context, p *probe) {
	raw, m := p.serverInfo()
	if raw == nil {
		p.skip("no serverInfo (lifecycle-initialize reports it)")
		return
	}
	var info struct {
		Title       *json.RawMessage `json:"title"`
		Description *json.RawMessage `json:"description"`
		WebsiteURL  *json.RawMessage `json:"websiteUrl"`
	}
	json.Unmarshal(raw, &info)
	str := func(field string, v *json.RawMessage) (string, bool) {
		if v == nil {
			return "", true
		}
		var s string
		if json.Unmarshal(*v, &s) != nil {
			p.fail(m, "serverInfo.%s is %s, not a string", field, *v)
			return "", false
		}
		return s, true
	}
	str("title", info.Title)
	if p.rev < rev20251125 {
		return
	}
	str("description", info.Description)
	if site, ok := str("websiteUrl", info.WebsiteURL); ok && info.WebsiteURL != nil && !absoluteURI(site) {
		p.fail(m, "serverInfo.websiteUrl %q is not a URL", site)
	}
}

// draft2020 is the default dialect of MCP's schemas.
const draft2020 = "https://json-schema.org/draft/2020-12/schema"

// is2020 reports whether a $schema names JSON Schema 2020-12.
func is2020(dialect string) bool { return strings.TrimSuffix(dialect, "#") == draft2020 }

// dialectError finds, in a schema that is JSON Schema 2020-12 by default,
// the forms of older drafts that 2020-12 does not allow: items as an
// array (now prefixItems), boolean exclusiveMinimum and exclusiveMaximum
// (draft-04), a boolean required (draft-03). A subschema that declares
// its own $schema is left alone.
func dialectError(v any, at string) error {
	s, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if d, ok := s["$schema"].(string); ok && !is2020(d) {
		return nil
	}
	if _, ok := s["items"].([]any); ok {
		return fmt.Errorf("%s: items is an array, draft-07's tuple form; 2020-12 has prefixItems", at)
	}
	for _, k := range []string{"exclusiveMinimum", "exclusiveMaximum"} {
		if _, ok := s[k].(bool); ok {
			return fmt.Errorf("%s: %s is a boolean, draft-04's form; 2020-12 wants the bound", at, k)
		}
	}
	if _, ok := s["required"].(bool); ok {
		return fmt.Errorf("%s: required is a boolean, draft-03's form; 2020-12 wants an array of names", at)
	}
	return eachSubschema(s, at, dialectError)
}

// checkSchemaDialect judges the input and output schemas of the tools
// that name no other dialect as JSON Schema 2020-12. Basic, JSON Schema
// usage: "When a schema does not include a $schema field, it defaults to
// JSON Schema 2020-12", and "Schemas MUST be valid according to their
// declared or default dialect".
func checkSchemaDialect(ctx context.Context, p *probe) {
	n := 0
	for _, t := range p.toolsOrSkip(ctx) {
		for _, f := range []struct {
			name string
			raw  json.RawMessage
		}{{"inputSchema", t.InputSchema}, {"outputSchema", t.OutputSchema}} {
			var tree map[string]any
			if json.Unmarshal(f.raw, &tree) != nil || tree == nil {
				continue // tools-input-schema and tools-output-schema report it
			}
			if d, ok := tree["$schema"].(string); ok && !is2020(d) {
				continue
			}
			n++
			if err := dialectError(tree, "#"); err != nil {
				p.fail(string(f.raw), "%s %s is not valid JSON Schema 2020-12, its default dialect: %v", t.Name, f.name, err)
			}
		}
	}
	if n == 0 && p.res.Status == Pass {
		p.skip("every schema names its own dialect")
	}
}
