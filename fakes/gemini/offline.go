package fakegemini

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"text/template"
)

//go:embed offline.md
var offlineGreeting string

var greeting = template.Must(template.New("offline").Parse(offlineGreeting))

// Offline returns the built-in offline model: a deterministic Responder
// that answers any conversation without a network. It greets and explains
// how to configure Google credentials; when the last user text asks for
// something a declared tool does, it calls that tool, and when the
// conversation ends with tool results it summarises them, quoting the
// output and reporting errors. Its calls carry an id and a thought
// signature, so clients exercise the signature round trip.
//
// Intents, matched case-insensitively on the last user text, and the
// tools they call (a declared name matches with any "prefix_"):
//
//	run/execute + `command` (or the rest after "run")  -> Bash {"command"}
//	sleep/pause/wait + a number                         -> sleep {"seconds"}
//	list/ls + a path                                    -> LS {"path"}
//	the current directory (its files, a listing)       -> Bash {"command": "pwd && ls -la"},
//	                                                       else GlobTool {"pattern": "*"},
//	                                                       else LS {"path": "."}
//	read/show/view/cat + a path                         -> View {"file_path"}
//
// A request that asks for images (responseModalities IMAGE, as image
// models are called for generation and editing) gets a line of text and a
// placeholder PNG ([Placeholder]) instead.
func Offline() Responder {
	return ResponderFunc(offline)
}

func offline(ctx context.Context, req *Request) (*Turn, error) {
	if wantsImage(req) {
		return offlineImage(ctx, req), nil
	}
	if results := req.FunctionResponses(); len(results) > 0 {
		return &Turn{Chunks: textChunks(summarise(results))}, nil
	}
	text := req.LastUserText()
	candidates := matchIntent(text)
	if len(candidates) == 0 {
		return &Turn{Chunks: textChunks(greet(req))}, nil
	}
	in := candidates[0]
	var decl *FunctionDeclaration
	for _, c := range candidates {
		if decl = findTool(req, c.tool); decl != nil {
			in = c
			break
		}
	}
	if decl == nil {
		return &Turn{Chunks: textChunks(fmt.Sprintf(
			"I would use the `%s` tool for that, but this request declares no such tool. "+
				"Start the server with the %s MCP server (for example `-mcpservers \"%s\"`) and ask again.",
			in.tool, in.tool, in.tool))}, nil
	}
	args := map[string]any{paramName(decl, in.param): in.value}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s %v %d", decl.Name, args, len(req.Contents)))
	var chunks []Chunk
	if tc := req.GenerationConfig; tc != nil && tc.ThinkingConfig != nil && tc.ThinkingConfig.IncludeThoughts {
		chunks = append(chunks, Thought(fmt.Sprintf("The user asks for something the %s tool does; I will call it.", decl.Name)))
	}
	chunks = append(chunks, Text(fmt.Sprintf("Calling `%s`.", decl.Name)))
	chunks = append(chunks, Call(decl.Name, args,
		"offline-"+hex.EncodeToString(sum[:6]),
		base64.StdEncoding.EncodeToString(append([]byte("offline:"), sum[:]...))))
	return &Turn{Chunks: chunks}, nil
}

type intent struct {
	tool, param string
	value       any
}

var (
	runWord   = regexp.MustCompile(`(?i)\b(run|execute)\b\s*(.*)`)
	backticks = regexp.MustCompile("`([^`]+)`")
	sleepWord = regexp.MustCompile(`(?i)\b(sleep|pause|wait)\b`)
	number    = regexp.MustCompile(`\d+(\.\d+)?`)
	listWord  = regexp.MustCompile(`(?i)\b(list|ls)\b`)
	readWord  = regexp.MustCompile(`(?i)\b(read|show|view|cat)\b`)
	here      = regexp.MustCompile(`(?i)\b(current|this|working) (directory|folder|dir)\b`)
	listing   = regexp.MustCompile(`(?i)\b(list|ls|files|contents|what is in|what's in)\b`)
	pathWord  = regexp.MustCompile(`(?:^|\s)((?:~|\.{1,2})?/[^\s'"` + "`" + `,;]*|\.{1,2}|[\w.-]+/[^\s'"` + "`" + `,;]*|[\w-]+\.\w+)`)
)

// matchIntent returns the tool calls that would answer text, the preferred
// first; the model makes the first whose tool is declared.
func matchIntent(text string) []intent {
	if m := runWord.FindStringSubmatch(text); m != nil {
		cmd := ""
		if b := backticks.FindStringSubmatch(text); b != nil {
			cmd = b[1]
		} else {
			cmd = strings.TrimRight(strings.TrimSpace(m[2]), ".!?")
		}
		if cmd != "" {
			return []intent{{"Bash", "command", cmd}}
		}
	}
	if sleepWord.MatchString(text) {
		if n := number.FindString(text); n != "" {
			v, _ := strconv.ParseFloat(n, 64)
			return []intent{{"sleep", "seconds", v}}
		}
	}
	if here.MatchString(text) && listing.MatchString(text) {
		// LS takes absolute paths only, and the model does not know the
		// tools' working directory: a shell or a glob finds it.
		return []intent{{"Bash", "command", "pwd && ls -la"}, {"GlobTool", "pattern", "*"}, {"LS", "path", "."}}
	}
	if listWord.MatchString(text) {
		if p := findPath(text); p != "" {
			return []intent{{"LS", "path", p}}
		}
	}
	if readWord.MatchString(text) {
		if p := findPath(text); p != "" {
			return []intent{{"View", "file_path", p}}
		}
	}
	return nil
}

func findPath(text string) string {
	m := pathWord.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return strings.TrimRight(m[1], ".!?:)")
}

// findTool returns the declaration named name, or PREFIX_name, ignoring case.
func findTool(req *Request, name string) *FunctionDeclaration {
	for _, d := range req.Declarations() {
		n := strings.ToLower(d.Name)
		if n == strings.ToLower(name) || strings.HasSuffix(n, "_"+strings.ToLower(name)) {
			return d
		}
	}
	return nil
}

// paramName returns want if the declaration's schema has such a property
// (or says nothing), else its only property.
func paramName(d *FunctionDeclaration, want string) string {
	schema := d.ParametersJSONSchema
	if len(schema) == 0 {
		schema = d.Parameters
	}
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(schema, &s) != nil || len(s.Properties) == 0 {
		return want
	}
	if _, ok := s.Properties[want]; ok {
		return want
	}
	if len(s.Properties) == 1 {
		for k := range s.Properties {
			return k
		}
	}
	return want
}

func greet(req *Request) string {
	var names []string
	for _, d := range req.Declarations() {
		names = append(names, "`"+d.Name+"`")
	}
	var b strings.Builder
	greeting.Execute(&b, struct{ Tools string }{strings.Join(names, ", ")})
	return b.String()
}

// summarise reports each tool result, quoting its output trimmed.
func summarise(results []*FunctionResponse) string {
	var b strings.Builder
	for i, r := range results {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if msg, ok := r.Response["error"]; ok {
			fmt.Fprintf(&b, "The `%s` tool reported an error:\n\n> %s", r.Name, quote(msg))
			continue
		}
		out, ok := r.Response["output"]
		if !ok {
			out = r.Response
		}
		fmt.Fprintf(&b, "The `%s` tool answered:\n\n> %s", r.Name, quote(out))
	}
	return b.String()
}

const quoteLimit = 600

// quote renders v as text for a Markdown quote, trimmed to quoteLimit bytes.
func quote(v any) string {
	s, ok := v.(string)
	if !ok {
		b, _ := json.Marshal(v)
		s = string(b)
	}
	s = strings.TrimSpace(s)
	if len(s) > quoteLimit {
		cut := quoteLimit
		for cut > 0 && s[cut]&0xC0 == 0x80 { // stay on a rune boundary
			cut--
		}
		s = s[:cut] + " [...]"
	}
	return strings.ReplaceAll(s, "\n", "\n> ")
}

// textChunks splits s into chunks of a few words each, so streaming is
// visible; joined, the chunks give s back.
func textChunks(s string) []Chunk {
	const words = 6
	var chunks []Chunk
	start, n := 0, 0
	for i := 1; i < len(s); i++ {
		if s[i] == ' ' && s[i-1] != ' ' {
			n++
			if n == words {
				chunks = append(chunks, Text(s[start:i]))
				start, n = i, 0
			}
		}
	}
	return append(chunks, Text(s[start:]))
}
