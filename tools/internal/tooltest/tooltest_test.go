package tooltest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func echoServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "echo", Version: "v0"}, nil)
	type in struct {
		Say string `json:"say"`
	}
	mcp.AddTool(s, &mcp.Tool{Name: "echo"}, func(_ context.Context, _ *mcp.CallToolRequest, in in) (*mcp.CallToolResult, any, error) {
		switch in.Say {
		case "":
			return nil, nil, errors.New("say is empty")
		case "image":
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.ImageContent{MIMEType: "image/png"}}}, nil, nil
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: in.Say}, &mcp.TextContent{Text: "!"}}}, nil, nil
	})
	return s
}

func TestCallText(t *testing.T) {
	s := echoServer()
	for i := range 2 { // each Connect is a session of its own on s
		cs := Connect(t, s, nil)
		say := fmt.Sprint("hello ", i)
		if res := Call(t, cs, "echo", map[string]any{"say": say}); res.IsError || Text(t, res) != say+"!" {
			t.Errorf("echo %q = %q (isError %v), want %q", say, Text(t, res), res.IsError, say+"!")
		}
	}
	res := Call(t, Connect(t, s, nil), "echo", map[string]any{"say": ""})
	if !res.IsError || Text(t, res) != "say is empty" {
		t.Errorf("echo \"\" = %q (isError %v), want the tool's error as a result", Text(t, res), res.IsError)
	}
}

// fatal records Fatalf instead of failing the test it wraps.
type fatal struct {
	testing.TB
	msg string
}

func (f *fatal) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(f)
}

// failure runs fn with a TB that records Fatalf, and returns the message.
func failure(t *testing.T, fn func(tb testing.TB)) (msg string) {
	f := &fatal{TB: t}
	defer func() {
		if r := recover(); r != nil && r != f {
			panic(r)
		}
		msg = f.msg
	}()
	fn(f)
	return ""
}

func TestFailures(t *testing.T) {
	cs := Connect(t, echoServer(), nil)
	if msg := failure(t, func(tb testing.TB) { Call(tb, cs, "nope", nil) }); msg == "" {
		t.Error("Call of an unknown tool did not fail the test")
	}
	res := Call(t, cs, "echo", map[string]any{"say": "image"})
	if msg := failure(t, func(tb testing.TB) { Text(tb, res) }); msg != "content *mcp.ImageContent, want text" {
		t.Errorf("Text of an image failed with %q", msg)
	}
}

func TestOnProgress(t *testing.T) {
	if OnProgress(nil) != nil {
		t.Error("OnProgress(nil) != nil")
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "progress", Version: "v0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "tick"}, func(ctx context.Context, req *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
		err := req.Session.NotifyProgress(ctx, &mcp.ProgressNotificationParams{ProgressToken: req.Params.GetProgressToken(), Progress: 1, Message: "tick"})
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "done"}}}, nil, err
	})
	got := make(chan string, 1)
	cs := Connect(t, s, OnProgress(func(p *mcp.ProgressNotificationParams) { got <- p.Message }))
	params := &mcp.CallToolParams{Name: "tick", Arguments: map[string]any{}}
	params.SetProgressToken("t")
	if _, err := cs.CallTool(t.Context(), params); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-got:
		if msg != "tick" {
			t.Errorf("progress message %q, want tick", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no progress notification")
	}
}
