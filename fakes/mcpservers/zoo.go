// Package mcpservers is a zoo of small MCP servers, each broken in one
// known way, and one correct server. They exist to prove that the
// conformance checker (harness/conform) finds each defect, with the check
// id that names it, and passes the correct server.
//
// Every server has the same features: a tool "echo" with an output
// schema, a tool "slow" that waits until cancelled and reports progress,
// a resource and a prompt. A defect changes one behaviour, mostly by
// wrapping the connection (see wrap.go), so the rest stays correct.
package mcpservers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A Defect is one way a server breaks the protocol.
type Defect struct {
	Name string
	// Check is the id of the conform check that must find it.
	Check string
	// HTTP says the defect shows only over streamable HTTP.
	HTTP bool
	// Doc says what the server does wrong.
	Doc string

	// Exits says the server exits during a run: during Check, or at its
	// start when Check is empty, so that nothing can be checked.
	Exits bool

	server    func() *mcp.Server                  // nil means the correct server
	wrap      func(mcp.Connection) mcp.Connection // nil means none
	stdout    string                              // printed on stdout before serving
	hang      bool                                // keeps running after stdin closes
	http      func(http.Handler) http.Handler
	stateless bool   // serves HTTP without sessions
	crashOn   string        // exits when it reads a request for this method
	startErr  string        // exits with this error before serving
	boot      time.Duration // how long it takes to start serving
}

// Correct names the server with no defect.
const Correct = "correct"

// Defects lists the zoo, the correct server first.
func Defects() []Defect {
	return []Defect{
		{Name: Correct, Doc: "follows the protocol"},
		{Name: "stdout-logs", Check: "stdio-purity", Doc: "prints a log line on stdout", stdout: "zoo: starting up\n"},
		{Name: "no-ping", Check: "lifecycle-ping", Doc: "never answers ping", wrap: dropRequests("ping")},
		{Name: "wrong-ids", Check: "jsonrpc-ids", Doc: "answers string ids with another id", wrap: mangleStringIDs},
		{Name: "bad-structured", Check: "tools-structured-content", Doc: "echo's structuredContent violates its outputSchema", server: badStructured},
		{Name: "ignores-cancel", Check: "tools-cancel", Doc: "slow answers after notifications/cancelled", wrap: ignoreCancel},
		{Name: "bad-input-schema", Check: "tools-input-schema", Doc: "a tool's inputSchema is not of type object", server: badInputSchema},
		{Name: "unknown-tool-result", Check: "tools-unknown", Doc: "an unknown tool gets an isError result, not an error", wrap: unknownToolResult},
		{Name: "hangs-on-close", Check: "lifecycle-stdin-close", Doc: "keeps running after stdin closes", hang: true},
		{Name: "any-session", Check: "http-session", HTTP: true, Doc: "accepts any session id over HTTP", http: anySession, stateless: true},
		{Name: "crashes", Check: "logging-set-level", Exits: true, Doc: "exits when asked to set its logging level", crashOn: "logging/setLevel"},
		{Name: "fails-to-start", Exits: true, Doc: "exits at its start, saying why on stderr", startErr: "cannot start: no configuration in $ZOO_CONFIG"},
		{Name: "holds-post", Check: "resources", HTTP: true, Doc: "holds the POST of resources/templates/list open and never answers", http: holdPost("resources/templates/list", false)},
		{Name: "slow-start", Doc: "the correct server, serving 200 ms after it starts, as a Node.js server does", boot: 200 * time.Millisecond},
		{Name: "holds-stream", Check: "resources", HTTP: true, Doc: "opens an SSE stream for resources/templates/list and never answers on it", http: holdPost("resources/templates/list", true)},
	}
}

// Lookup returns the named defect.
func Lookup(name string) (Defect, error) {
	ds := Defects()
	i := slices.IndexFunc(ds, func(d Defect) bool { return d.Name == name })
	if i < 0 {
		return Defect{}, fmt.Errorf("no server %q in the zoo", name)
	}
	return ds[i], nil
}

func (d Defect) newServer() *mcp.Server {
	if d.server != nil {
		return d.server()
	}
	return newCorrect()
}

// ServeStdio serves the defect's server on stdin and stdout until stdin
// closes (or forever, for hangs-on-close). For a defect that Exits, the
// error says why, for the caller to print on stderr before it exits.
func (d Defect) ServeStdio(ctx context.Context, stdout io.Writer) error {
	if d.startErr != "" {
		return errors.New(d.startErr)
	}
	if d.boot > 0 {
		t := time.NewTimer(d.boot)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if d.stdout != "" {
		io.WriteString(stdout, d.stdout)
	}
	var t mcp.Transport = &mcp.StdioTransport{}
	// The correct server drops answers to cancelled calls, as the
	// specification asks; ignores-cancel is the server without that.
	wrap := dropCancelled
	if d.wrap != nil {
		wrap = chain(d.wrap, wrap)
	}
	if d.Name == "ignores-cancel" {
		wrap = d.wrap
	}
	var crashed crash
	if d.crashOn != "" {
		wrap = chain(crashed.on(d.crashOn), wrap)
	}
	t = &wrapped{Transport: t, wrap: wrap}
	err := d.newServer().Run(ctx, t)
	if d.hang {
		<-ctx.Done()
	}
	if err := crashed.err(); err != nil {
		return err
	}
	return err
}

// Handler serves the defect's server over streamable HTTP.
func (d Defect) Handler() http.Handler {
	s := d.newServer()
	var h http.Handler = mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s }, &mcp.StreamableHTTPOptions{
		Stateless: d.stateless,
		// Refuse foreign origins, against DNS rebinding.
		CrossOriginProtection: http.NewCrossOriginProtection(),
	})
	if d.http != nil {
		h = d.http(h)
	}
	return h
}

type echoIn struct {
	Text string `json:"text" jsonschema:"the text to echo"`
}

type echoOut struct {
	Echo string `json:"echo"`
}

type slowIn struct {
	Seconds float64 `json:"seconds" jsonschema:"how long to wait, in seconds"`
}

// newCorrect builds the correct server.
func newCorrect() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "zoo", Version: "v1"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "echo", Description: "echoes text"}, echo)
	addSlow(s)
	addResourceAndPrompt(s)
	return s
}

func echo(_ context.Context, _ *mcp.CallToolRequest, in echoIn) (*mcp.CallToolResult, echoOut, error) {
	return nil, echoOut{Echo: in.Text}, nil
}

func addSlow(s *mcp.Server) {
	mcp.AddTool(s, &mcp.Tool{Name: "slow", Description: "waits, reporting progress, until the time is up or the call is cancelled"},
		func(ctx context.Context, req *mcp.CallToolRequest, in slowIn) (*mcp.CallToolResult, any, error) {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			deadline := time.After(time.Duration(in.Seconds * float64(time.Second)))
			for i := 1; ; i++ {
				select {
				case <-ctx.Done():
					return nil, nil, ctx.Err()
				case <-deadline:
					return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "done"}}}, nil, nil
				case <-tick.C:
					if tok := req.Params.GetProgressToken(); tok != nil {
						req.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{ProgressToken: tok, Progress: float64(i)})
					}
				}
			}
		})
}

func addResourceAndPrompt(s *mcp.Server) {
	s.AddResource(&mcp.Resource{URI: "zoo://readme", Name: "readme", MIMEType: "text/plain"},
		func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: "text/plain", Text: "the zoo"}}}, nil
		})
	s.AddPrompt(&mcp.Prompt{Name: "greet", Arguments: []*mcp.PromptArgument{{Name: "who", Required: true}}},
		func(_ context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return &mcp.GetPromptResult{Messages: []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: "hello " + req.Params.Arguments["who"]}}}}, nil
		})
}

// badStructured is the correct server whose echo returns a number where
// its outputSchema wants a string.
func badStructured() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "zoo", Version: "v1"}, nil)
	out, _ := jsonschema.For[echoOut](nil)
	in, _ := jsonschema.For[echoIn](nil)
	s.AddTool(&mcp.Tool{Name: "echo", Description: "echoes text", InputSchema: in, OutputSchema: out},
		func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			var args map[string]any
			if json.Unmarshal(req.Params.Arguments, &args) != nil || args["text"] == nil {
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "text is required"}}, IsError: true}, nil
			}
			sc := map[string]any{"echo": 42}
			text, _ := json.Marshal(sc)
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(text)}}, StructuredContent: sc}, nil
		})
	return s
}

// badInputSchema is the correct server plus a tool whose inputSchema
// describes a string.
func badInputSchema() *mcp.Server {
	s := newCorrect()
	s.AddTool(&mcp.Tool{Name: "broken", Description: "has a broken inputSchema", InputSchema: json.RawMessage(`{"type":"object","properties":{"x":{"type":"strnig"}}}`)},
		func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}, nil
		})
	return s
}
