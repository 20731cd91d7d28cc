package toolbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/owulveryck/gomcptest/host/toolbox"
)

func ExampleParseSpec() {
	specs, err := toolbox.ParseSpec(`../bin/LS; ROOT='/my files' ../bin/View -v;http://localhost:8081/mcp`)
	if err != nil {
		panic(err)
	}
	for _, s := range specs {
		fmt.Printf("%q %q %q %q\n", s.Command, s.Args, s.Env, s.URL)
	}
	// Output:
	// "../bin/LS" [] [] ""
	// "../bin/View" ["-v"] ["ROOT=/my files"] ""
	// "" [] [] "http://localhost:8081/mcp"
}

func ExampleNew() {
	// A streamable HTTP server with one tool stands in for real servers.
	srv := mcp.NewServer(&mcp.Implementation{Name: "greeter", Version: "1"}, nil)
	type in struct {
		Name string `json:"name"`
	}
	mcp.AddTool(srv, &mcp.Tool{Name: "greet", Description: "says hello"},
		func(_ context.Context, _ *mcp.CallToolRequest, in in) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "hello " + in.Name}}}, nil, nil
		})
	ts := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
	defer ts.Close()

	ctx := context.Background()
	specs, err := toolbox.ParseSpec(ts.URL)
	if err != nil {
		panic(err)
	}
	tb, err := toolbox.New(ctx, specs, nil)
	if err != nil {
		panic(err)
	}
	defer tb.Close()
	for _, t := range tb.Tools() {
		fmt.Println(t.Name, "-", t.Description)
	}
	res, err := tb.Call(ctx, "greet", json.RawMessage(`{"name":"world"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Content[0].(*mcp.TextContent).Text)
	// Output:
	// greet - says hello
	// hello world
}
