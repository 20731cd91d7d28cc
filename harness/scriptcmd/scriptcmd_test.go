package scriptcmd_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/owulveryck/gomcptest/harness/scriptcmd"
)

func TestMain(m *testing.M) {
	// echoserver is the stdio server the scripts start with mcp start: the
	// test binary itself, so no binary needs building.
	testscript.Main(m, map[string]func(){
		"echoserver": func() { os.Exit(echoserver()) },
	})
}

// echoserver serves newServer over stdio until stdin closes. -exit N
// exits at once with status N, as a server refusing its flags would.
func echoserver() int {
	fs := flag.NewFlagSet("echoserver", flag.ContinueOnError)
	exit := fs.Int("exit", -1, "exit at once with this status")
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	if *exit >= 0 {
		fmt.Fprintf(os.Stderr, "echoserver: told to exit with %d\n", *exit)
		return *exit
	}
	fmt.Fprintln(os.Stderr, "echoserver: serving on stdio")
	if err := newServer().Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, "echoserver:", err)
		return 1
	}
	fmt.Fprintln(os.Stderr, "echoserver: stdin closed, bye")
	return 0
}

// newServer is a server with a tool of each kind the scripts check: text,
// a failure, structured content, state kept per session, and what the
// process was started with.
func newServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "echoserver", Version: "v1.0.0"}, nil)
	type text struct {
		Text string `json:"text"`
	}
	mcp.AddTool(s, &mcp.Tool{Name: "echo", Description: "says the text back"}, func(_ context.Context, _ *mcp.CallToolRequest, in text) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: in.Text}}}, nil, nil
	})
	mcp.AddTool(s, &mcp.Tool{Name: "fail", Description: "always fails"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
		return nil, nil, errors.New("it went wrong, as it always does")
	})
	type sum struct {
		Sum int `json:"sum"`
	}
	mcp.AddTool(s, &mcp.Tool{Name: "add", Description: "adds a and b"}, func(_ context.Context, _ *mcp.CallToolRequest, in struct{ A, B int }) (*mcp.CallToolResult, sum, error) {
		return nil, sum{in.A + in.B}, nil
	})
	var calls atomic.Int64
	mcp.AddTool(s, &mcp.Tool{Name: "count", Description: "counts its calls in this session"}, func(context.Context, *mcp.CallToolRequest, struct{}) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: fmt.Sprint(calls.Add(1))}}}, nil, nil
	})
	mcp.AddTool(s, &mcp.Tool{Name: "environ", Description: "the working directory and a variable"}, func(_ context.Context, _ *mcp.CallToolRequest, in struct {
		Name string `json:"name"`
	}) (*mcp.CallToolResult, any, error) {
		wd, err := os.Getwd()
		if err != nil {
			return nil, nil, err
		}
		v, ok := os.LookupEnv(in.Name)
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: fmt.Sprintf("pwd=%s\n%s=%s (set: %v)", wd, in.Name, v, ok)}}}, nil, nil
	})
	return s
}

func TestScripts(t *testing.T) {
	srv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return newServer() }, nil))
	t.Cleanup(srv.Close)
	testscript.Run(t, testscript.Params{
		Dir:  "testdata",
		Cmds: commands(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("MCPURL", srv.URL)
			env.Setenv("GREETING", "hello from Setup")
			return scriptcmd.Setup(env)
		},
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

// commands are scriptcmd's and post, which the scripts use to send
// requests to the fakes as a program under test would.
func commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := scriptcmd.Commands()
	cmds["post"] = post
	return cmds
}

// post URL BODY posts the JSON BODY and prints the status, then the body.
func post(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: post URL BODY")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", args[0], strings.NewReader(args[1]))
	ts.Check(err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%d\n%s\n", resp.StatusCode, body)
}
