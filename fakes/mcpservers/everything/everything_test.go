package everything

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// notes collects what the server sends a client besides responses.
type notes struct {
	progress chan float64
	logs     chan string
}

// connect runs a 2025-11-25 session between New's server and a client that answers
// sampling and elicitation requests, over in-memory transports.
func connect(t *testing.T) (*mcp.ClientSession, *notes) {
	t.Helper()
	ctx := context.Background()
	n := &notes{progress: make(chan float64, 10), logs: make(chan string, 10)}
	ct, st := mcp.NewInMemoryTransports()
	ss, err := New(nil).Connect(ctx, st, nil)
	if err != nil {
		t.Fatalf("server connect: %v", err)
	}
	t.Cleanup(func() { ss.Close() })
	c := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, &mcp.ClientOptions{
		CreateMessageHandler: func(_ context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
			prompt := req.Params.Messages[0].Content.(*mcp.TextContent).Text
			return &mcp.CreateMessageResult{Role: "assistant", Model: "m", Content: &mcp.TextContent{Text: "echo " + prompt}}, nil
		},
		ElicitationHandler: func(_ context.Context, req *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"username": "ada"}}, nil
		},
		ProgressNotificationHandler: func(_ context.Context, req *mcp.ProgressNotificationClientRequest) {
			n.progress <- req.Params.Progress
		},
		LoggingMessageHandler: func(_ context.Context, req *mcp.LoggingMessageRequest) {
			n.logs <- req.Params.Data.(string)
		},
	})
	// The suite speaks 2025-11-25, where a tool may send requests to the
	// client during a call (2026-07-28 forbids it).
	cs, err := c.Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		t.Fatalf("client connect: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs, n
}

// summary renders content items as the suite checks them: kind, MIME type,
// and text or size.
func summary(cs []mcp.Content) []string {
	var out []string
	for _, c := range cs {
		switch c := c.(type) {
		case *mcp.TextContent:
			out = append(out, "text "+c.Text)
		case *mcp.ImageContent:
			out = append(out, "image "+c.MIMEType+" "+string(c.Data[1:4]))
		case *mcp.AudioContent:
			out = append(out, "audio "+c.MIMEType+" "+string(c.Data[:4]))
		case *mcp.EmbeddedResource:
			out = append(out, "resource "+c.Resource.URI+" "+c.Resource.Text)
		default:
			out = append(out, "unexpected")
		}
	}
	return out
}

func TestTools(t *testing.T) {
	cs, _ := connect(t)
	tests := []struct {
		tool    string
		args    any
		want    []string
		isError bool
	}{
		{tool: "test_simple_text", want: []string{"text This is a simple text response for testing."}},
		{tool: "test_image_content", want: []string{"image image/png PNG"}},
		{tool: "test_audio_content", want: []string{"audio audio/wav RIFF"}},
		{tool: "test_embedded_resource", want: []string{"resource test://embedded-resource This is an embedded resource"}},
		{tool: "test_multiple_content_types", want: []string{
			"text This is text content",
			"image image/png PNG",
			"resource test://mixed-content-resource This is an embedded resource",
		}},
		{tool: "test_error_handling", isError: true,
			want: []string{"text this tool intentionally returns an error for testing"}},
		{tool: "test_sampling", args: map[string]any{"prompt": "hi"}, want: []string{"text LLM response: echo hi"}},
		{tool: "test_elicitation", args: map[string]any{"message": "name?"},
			want: []string{"text Elicitation result: action=accept, content=map[username:ada]"}},
		// The client fills in the defaults of the fields it was not given.
		{tool: "test_elicitation_sep1034_defaults", want: []string{
			"text Elicitation result: action=accept, content=map[age:30 name:John Doe score:95.5 status:active username:ada verified:true]",
		}},
		{tool: "test_elicitation_sep1330_enums", want: []string{"text Elicitation result: action=accept, content=map[username:ada]"}},
		{tool: "json_schema_2020_12_tool", args: map[string]any{"name": "x"}, want: []string{`text called with: {"name":"x"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tt.tool, Arguments: tt.args})
			if err != nil {
				t.Fatal(err)
			}
			if res.IsError != tt.isError {
				t.Errorf("isError = %v, want %v", res.IsError, tt.isError)
			}
			if diff := cmp.Diff(tt.want, summary(res.Content)); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
		})
	}
}

// receive returns the first n values of c, failing after a deadline.
func receive[T any](t *testing.T, c <-chan T, n int) []T {
	t.Helper()
	var got []T
	deadline := time.After(5 * time.Second)
	for len(got) < n {
		select {
		case v := <-c:
			got = append(got, v)
		case <-deadline:
			t.Fatalf("got %v, want %d values", got, n)
		}
	}
	return got
}

func TestProgress(t *testing.T) {
	cs, n := connect(t)
	params := &mcp.CallToolParams{Name: "test_tool_with_progress"}
	params.SetProgressToken("tok-1")
	res, err := cs.CallTool(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"text tok-1"}, summary(res.Content)); diff != "" {
		t.Errorf("content (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{0, 50, 100}, receive(t, n.progress, 3)); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}

func TestLogging(t *testing.T) {
	cs, n := connect(t)
	ctx := context.Background()
	if err := cs.SetLoggingLevel(ctx, &mcp.SetLoggingLevelParams{Level: "info"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "test_tool_with_logging"}); err != nil {
		t.Fatal(err)
	}
	want := []string{"Tool execution started", "Tool processing data", "Tool execution completed"}
	if diff := cmp.Diff(want, receive(t, n.logs, 3)); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

// TestCancelStopsPause shows that a call cancelled while it pauses between
// notifications ends at once instead of running to the end.
func TestCancelStopsPause(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := pause(ctx); err == nil {
		t.Fatal("pause of a cancelled context returned nil")
	}
}

func TestSchemaKept(t *testing.T) {
	cs, _ := connect(t)
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range res.Tools {
		if tool.Name != "json_schema_2020_12_tool" {
			continue
		}
		b, err := json.Marshal(tool.InputSchema)
		if err != nil {
			t.Fatal(err)
		}
		for _, kw := range []string{`"$schema":"https://json-schema.org/draft/2020-12/schema"`, `"$defs"`, `"additionalProperties":false`} {
			if !strings.Contains(string(b), kw) {
				t.Errorf("inputSchema lost %s: %s", kw, b)
			}
		}
		return
	}
	t.Fatal("json_schema_2020_12_tool not listed")
}

func TestResources(t *testing.T) {
	cs, _ := connect(t)
	tests := []struct{ uri, mime, text, blob string }{
		{uri: "test://static-text", mime: "text/plain", text: "This is the content of the static text resource."},
		{uri: "test://static-binary", mime: "image/png", blob: "\x89PNG"},
		{uri: "test://watched-resource", mime: "text/plain", text: "Watched resource content"},
		{uri: "test://template/123/data", mime: "application/json",
			text: `{"id": "123", "templateTest": true, "data": "Data for ID: 123"}`},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			res, err := cs.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: tt.uri})
			if err != nil {
				t.Fatal(err)
			}
			c := res.Contents[0]
			got := []string{c.URI, c.MIMEType, c.Text, string(c.Blob[:min(len(c.Blob), 4)])}
			if diff := cmp.Diff([]string{tt.uri, tt.mime, tt.text, tt.blob}, got); diff != "" {
				t.Errorf("contents (-want +got):\n%s", diff)
			}
		})
	}
	if err := cs.Subscribe(context.Background(), &mcp.SubscribeParams{URI: "test://watched-resource"}); err != nil {
		t.Errorf("subscribe: %v", err)
	}
}

func TestPrompts(t *testing.T) {
	cs, _ := connect(t)
	tests := []struct {
		name string
		args map[string]string
		want []string
	}{
		{name: "test_simple_prompt", want: []string{"text This is a simple prompt for testing."}},
		{name: "test_prompt_with_arguments", args: map[string]string{"arg1": "a", "arg2": "b"},
			want: []string{"text Prompt with arguments: arg1='a', arg2='b'"}},
		{name: "test_prompt_with_embedded_resource", args: map[string]string{"resourceUri": "test://x"},
			want: []string{"resource test://x Embedded resource content for testing.", "text Please process the embedded resource above."}},
		{name: "test_prompt_with_image", want: []string{"image image/png PNG", "text Please analyze the image above."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := cs.GetPrompt(context.Background(), &mcp.GetPromptParams{Name: tt.name, Arguments: tt.args})
			if err != nil {
				t.Fatal(err)
			}
			var got []mcp.Content
			for _, m := range res.Messages {
				got = append(got, m.Content)
			}
			if diff := cmp.Diff(tt.want, summary(got)); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}
