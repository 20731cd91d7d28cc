package everything

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Path is where [Handler] serves MCP.
const Path = "/mcp"

// Options configures the server. The zero value (or nil) is the default.
type Options struct {
	// Logger receives the SDK's log; nil discards it.
	Logger *slog.Logger
}

// New returns the fixture server with every tool, resource and prompt
// registered. It has no state beyond the SDK's sessions, so one server may
// serve any number of sessions concurrently.
func New(opts *Options) *mcp.Server {
	if opts == nil {
		opts = &Options{}
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "everything", Version: "1.0.0"}, &mcp.ServerOptions{
		Logger:             opts.Logger,
		CompletionHandler:  complete,
		SubscribeHandler:   func(context.Context, *mcp.SubscribeRequest) error { return nil },
		UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
	})
	addTools(s)
	addResources(s)
	addPrompts(s)
	return s
}

// Handler serves s over streamable HTTP at [Path], one session per client.
// The SDK's DNS-rebinding protection stays on: a request that reached a
// loopback address with a foreign Host header is refused, which the suite's
// dns-rebinding-protection scenario checks. Other paths answer 404.
func Handler(s *mcp.Server, logger *slog.Logger) http.Handler {
	h := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s },
		&mcp.StreamableHTTPOptions{Logger: logger})
	mux := http.NewServeMux()
	mux.Handle(Path, h)
	return mux
}

// complete acknowledges completion requests with no suggestions: the suite
// checks only that the completions capability answers.
func complete(context.Context, *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
	return &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{Values: []string{}}}, nil
}
