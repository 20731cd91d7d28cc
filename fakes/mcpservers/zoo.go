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
	"os"
	"slices"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A Defect is one way a server breaks the protocol, or, with no Check,
// a server that does the correct thing a checker might wrongly flag.
type Defect struct {
	Name string
	// Check is the id of the conform check that must find it; empty
	// means the server is correct and every check must pass it.
	Check string
	// HTTP says the defect shows only over streamable HTTP.
	HTTP bool
	// Doc says what the server does wrong.
	Doc string
	// ClientCaps are the client capabilities the checker must declare to
	// see the defect (conform.Options.ClientCaps).
	ClientCaps []string

	// Exits says the server exits during a run: during Check, or at its
	// start when Check is empty, so that nothing can be checked.
	Exits bool

	server func() *mcp.Server                  // nil means the correct server
	wrap   func(mcp.Connection) mcp.Connection // nil means none
	stdout string                              // printed on stdout before serving
	hang   bool                                // keeps running after stdin closes
	http   func(http.Handler) http.Handler
	// ownCancel says wrap answers cancellations itself, in place of
	// dropCancelled.
	ownCancel bool
	// record adds the tool "record", which runs whatever its arguments.
	record bool

	// OnRecord, if set, is called with the arguments each time the tool
	// "record" runs (in the servers that have it). It is how a test sees
	// that a tool ran; it must be safe for concurrent use.
	OnRecord func(args json.RawMessage)

	// stateless serves HTTP without sessions.
	stateless bool
	// laxTasks answers tasks/get of an unknown task with a task.
	laxTasks bool
	rawOut   func(line []byte) []byte // rewrites each line the server prints, over stdio
	crashOn  string                   // exits when it reads a request for this method
	startErr string                   // exits with this error before serving
	boot     time.Duration            // how long it takes to start serving
}

// Correct names the server with no defect.
const Correct = "correct"

// Defects lists the zoo, the correct server first.
func Defects() []Defect {
	return append([]Defect{
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
		{Name: "wrong-ids-all", Check: "jsonrpc-ids", Doc: "answers every request, initialize included, under another id", wrap: mangleAllIDs},
		{Name: "wrong-error-code", Check: "jsonrpc-method-not-found", Doc: "answers an unknown method with -32600, not -32601", wrap: methodNotFoundAs(-32600)},
		{Name: "unvalidated", Check: "tools-invalid-arguments", Doc: "its tool record runs whatever its arguments", record: true},
		{Name: "bad-tool-name", Check: "tools-names", Doc: "a tool name has a space and a slash", server: badToolName},
		{Name: "origin-400", Check: "http-origin", HTTP: true, Doc: "refuses a foreign Origin with 400, where 2025-11-25 asks for 403 (earlier revisions leave the status open)", http: refuseOrigin(http.StatusBadRequest)},

		// Correct servers that a checker might wrongly flag.
		{Name: "empty-version", Doc: "serverInfo.version is \"\", a string as the schema asks", wrap: emptyVersion},
		{Name: "ref-schema", Doc: "input schemas with $ref into $defs and definitions, recursive ones too", server: refSchema},
		{Name: "long-progress", Doc: "a tool outlives any exchange timeout, sending progress all along", server: longProgress},
		{Name: "cancel-race", Doc: "a call completes just as its cancellation arrives", wrap: raceCancel, ownCancel: true},
		{Name: "late-batch", Doc: "answers the requests of a batch late, after the requests behind them", wrap: lateBatch},
		{Name: "strict-prompt", Doc: "its prompt refuses an argument value it does not know", server: strictPrompt},
		{Name: "legacy-http", HTTP: true, Doc: "claims no 2026-07-28: server/discover gets HTTP 400 with no id, as before initialize", http: refuseDiscover},
		{Name: "crashes", Check: "logging-set-level", Exits: true, Doc: "exits when asked to set its logging level", crashOn: "logging/setLevel"},
		{Name: "fails-to-start", Exits: true, Doc: "exits at its start, saying why on stderr", startErr: "cannot start: no configuration in $ZOO_CONFIG"},
		{Name: "holds-post", Check: "resources", HTTP: true, Doc: "holds the POST of resources/templates/list open and never answers", http: holdPost("resources/templates/list", false)},
		{Name: "slow-start", Doc: "the correct server, serving 200 ms after it starts, as a Node.js server does", boot: 200 * time.Millisecond},
		{Name: "holds-stream", Check: "resources", HTTP: true, Doc: "opens an SSE stream for resources/templates/list and never answers on it", http: holdPost("resources/templates/list", true)},
	}, moreDefects()...)
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
	s := newCorrect()
	if d.server != nil {
		s = d.server()
	}
	if d.record {
		addRecord(s, d.OnRecord)
	}
	return s
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
	if d.rawOut != nil {
		t = &mcp.IOTransport{Reader: os.Stdin, Writer: &lineRewriter{w: stdout, f: d.rawOut}}
	}
	// The correct server drops answers to cancelled calls, as the
	// specification asks; ignores-cancel is the server without that.
	// Tasks come from a layer too (tasks.go), over stdio only.
	wrap := chain(dropCancelled, d.withTasks)
	if d.Name == "ignores-cancel" || d.ownCancel {
		wrap = d.withTasks
	}
	if d.wrap != nil {
		wrap = chain(d.wrap, wrap)
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
func newCorrect() *mcp.Server { return newZoo(variant{}) }

// newZoo builds the correct server, or one of its broken variants.
func newZoo(v variant) *mcp.Server {
	s := mcp.NewServer(zooInfo(), zooOptions())
	mcp.AddTool(s, &mcp.Tool{Name: "echo", Description: "echoes text", Icons: []mcp.Icon{zooIcon()}}, echo)
	addSlow(s)
	addConvert(s, v.brokenPath)
	addClientTools(s, v.careless)
	addResourceAndPrompt(s)
	return s
}

func echo(ctx context.Context, req *mcp.CallToolRequest, in echoIn) (*mcp.CallToolResult, echoOut, error) {
	req.Session.Log(ctx, &mcp.LoggingMessageParams{Level: "debug", Logger: "echo", Data: in.Text})
	return nil, echoOut{Echo: in.Text}, nil
}

func addSlow(s *mcp.Server) {
	mcp.AddTool(s, &mcp.Tool{Name: "slow", Description: "waits, reporting progress, until the time is up or the call is cancelled"},
		func(ctx context.Context, req *mcp.CallToolRequest, in slowIn) (*mcp.CallToolResult, any, error) {
			return work(ctx, req, time.Duration(in.Seconds*float64(time.Second)))
		})
}

// work waits for d or until ctx ends, reporting progress every 10ms to a
// caller that sent a progress token.
func work(ctx context.Context, req *mcp.CallToolRequest, d time.Duration) (*mcp.CallToolResult, any, error) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(d)
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

// addRecord adds the tool record, which does not validate its input: it
// runs, and tells onRun, whatever its arguments.
func addRecord(s *mcp.Server, onRun func(json.RawMessage)) {
	schema := json.RawMessage(`{"type":"object","properties":{"path":{"type":"string"}},"required":["path"],"additionalProperties":false}`)
	s.AddTool(&mcp.Tool{Name: "record", Description: "records that it ran", InputSchema: schema},
		func(_ context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			if onRun != nil {
				onRun(req.Params.Arguments)
			}
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "recorded"}}}, nil
		})
}

// badToolName is the correct server plus a tool whose name breaks the
// characters SEP-986 allows.
func badToolName() *mcp.Server {
	s := newCorrect()
	s.AddTool(&mcp.Tool{Name: "bad name/x", Description: "has a name with a space and a slash", InputSchema: json.RawMessage(`{"type":"object"}`)},
		func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}, nil
		})
	return s
}
