package transcript_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/harness/transcript"
)

// greeter is a server whose one tool answers "<greeting> <name>".
func greeter(greeting string) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "greeter", Version: "v1"}, nil)
	type in struct {
		Name string `json:"name"`
	}
	mcp.AddTool(s, &mcp.Tool{Name: "greet", Description: "greets"}, func(ctx context.Context, req *mcp.CallToolRequest, in in) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: greeting + " " + in.Name}}}, nil, nil
	})
	return s
}

// serve connects s to a new in-memory transport and returns the client's
// end.
func serve(t *testing.T, s *mcp.Server) mcp.Transport {
	t.Helper()
	ct, st := mcp.NewInMemoryTransports()
	ss, err := s.Connect(t.Context(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	return ct
}

func connect(t *testing.T, tr mcp.Transport, version string) *mcp.ClientSession {
	t.Helper()
	c := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	cs, err := c.Connect(t.Context(), tr, &mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func greet(t *testing.T, cs *mcp.ClientSession, name string) (string, error) {
	t.Helper()
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "greet", Arguments: map[string]any{"name": name}})
	if err != nil {
		return "", err
	}
	return res.Content[0].(*mcp.TextContent).Text, nil
}

// record records a session with greeter("hello") in which the client lists
// the tools and greets dir/world, dir standing for a temporary directory.
func record(t *testing.T, dir string) *transcript.Transcript {
	t.Helper()
	rec := transcript.NewRecorder(serve(t, greeter("hello")))
	cs := connect(t, rec, "2025-11-25")
	if _, err := cs.ListTools(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := greet(t, cs, dir+"/world"); err != nil {
		t.Fatal(err)
	}
	cs.Close()
	tr := rec.Transcript(transcript.Header{Comment: "A test session.", Server: "greeter " + dir, Date: "2026-01-02"})
	return tr.Abstract(map[string]string{"DIR": dir})
}

func TestFormat(t *testing.T) {
	tr := record(t, "/tmp/a1")
	data := string(tr.Format())
	for _, want := range []string{
		"A test session.\nserver: greeter ${DIR}\nprotocol: 2025-11-25\ndate: 2026-01-02\nvars: DIR\n-- 001 client request initialize --\n{\n  \"jsonrpc\": \"2.0\",",
		"-- 003 client notification notifications/initialized --",
		"-- 004 client request tools/list --",
		"-- 007 server response tools/call --",
		`"text": "hello ${DIR}/world"`,
	} {
		if !strings.Contains(data, want) {
			t.Errorf("transcript lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(data, "/tmp/a1") {
		t.Errorf("transcript holds the value of ${DIR}:\n%s", data)
	}
	back, err := transcript.Parse("greeter.txtar", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if again := string(back.Format()); again != data {
		t.Errorf("Format(Parse(data)) != data:\n%s\nwant:\n%s", again, data)
	}
	if again := string(record(t, "/tmp/b2").Format()); again != data {
		t.Errorf("a second recording differs:\n%s\nfirst:\n%s", again, data)
	}
}

func TestParseErrors(t *testing.T) {
	const head = "server: x\nprotocol: 2025-11-25\n"
	const req = `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`
	tests := []struct{ name, data, want string }{
		{"no protocol", "server: x\n", "t.txtar:1: header has no protocol"},
		{"bad name", head + "-- 001 client request --\n" + req + "\n", `t.txtar:3: section "001 client request"`},
		{"bad number", head + "-- 002 client request tools/list --\n" + req + "\n", "t.txtar:3: section \"002 client request tools/list\": want number 001"},
		{"bad side", head + "-- 001 me request tools/list --\n" + req + "\n", "neither client nor server"},
		{"wrong kind", head + "-- 001 client notification tools/list --\n" + req + "\n", "t.txtar:3: section \"001 client notification tools/list\": the message is a request tools/list"},
		{"second message", head + "-- 001 client request tools/list --\n" + req + "\n\n-- 002 client request tools/list --\n{}\n", "t.txtar:6:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := transcript.Parse("t.txtar", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestServer(t *testing.T) {
	tr, err := transcript.Parse("greeter.txtar", record(t, "/tmp/a1").Format())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := transcript.NewServer(tr, nil); err == nil || !strings.Contains(err.Error(), "${DIR}") {
		t.Errorf("NewServer without the value of DIR: err = %v, want it named", err)
	}
	// The client asks for the latest protocol, which the transcript does
	// not speak: it falls back to the recorded handshake.
	for _, version := range []string{"", "2025-11-25"} {
		t.Run("protocol "+version, func(t *testing.T) {
			srv, err := transcript.NewServer(tr, &transcript.ServerOptions{Vars: map[string]string{"DIR": "/home/u"}})
			if err != nil {
				t.Fatal(err)
			}
			cs := connect(t, srv, version)
			if got := cs.InitializeResult().ServerInfo.Name; got != "greeter" {
				t.Errorf("server name = %q, want greeter", got)
			}
			res, err := cs.ListTools(t.Context(), nil)
			if err != nil || len(res.Tools) != 1 || res.Tools[0].Name != "greet" {
				t.Fatalf("ListTools = %v, %v; want the tool greet", res, err)
			}
			for range 2 { // a used-up answer is given again
				if got, err := greet(t, cs, "/home/u/world"); got != "hello /home/u/world" || err != nil {
					t.Errorf("greet = %q, %v; want the recorded answer", got, err)
				}
			}
			_, err = greet(t, cs, "moon")
			if want := `transcript greeter.txtar holds no tools/call request with params {"arguments":{"name":"moon"},"name":"greet"}`; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("greet moon: err = %v, want %q", err, want)
			}
			_, err = cs.ListPrompts(t.Context(), nil)
			if want := "transcript greeter.txtar holds no prompts/list request"; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ListPrompts: err = %v, want %q", err, want)
			}
			if err := cs.Ping(t.Context(), nil); err != nil {
				t.Errorf("Ping: %v", err)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	tr, err := transcript.Parse("greeter.txtar", record(t, "/tmp/a1").Format())
	if err != nil {
		t.Fatal(err)
	}
	vars := &transcript.VerifyOptions{Vars: map[string]string{"DIR": "/tmp/a1"}}
	diffs, err := transcript.Verify(t.Context(), tr, serve(t, greeter("hello")), vars)
	if err != nil || len(diffs) != 0 {
		t.Errorf("Verify against the same server = %v, %v; want no difference", diffs, err)
	}

	diffs, err = transcript.Verify(t.Context(), tr, serve(t, greeter("hi")), vars)
	if err != nil || len(diffs) != 1 {
		t.Fatalf("Verify against a changed server = %v, %v; want one difference", diffs, err)
	}
	got := diffs[0].String()
	for _, want := range []string{
		"greeter.txtar:93: server response tools/call\n",
		"--- recorded\n+++ live\n",
		"\n-        \"text\": \"hello /tmp/a1/world\",\n+        \"text\": \"hi /tmp/a1/world\",\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("difference lacks %q:\n%s", want, got)
		}
	}

	ignore := &transcript.VerifyOptions{Vars: vars.Vars, Ignore: []string{"/result/content/*/text"}}
	diffs, err = transcript.Verify(t.Context(), tr, serve(t, greeter("hi")), ignore)
	if err != nil || len(diffs) != 0 {
		t.Errorf("Verify ignoring the text = %v, %v; want no difference", diffs, err)
	}
}

func TestVerifyCancelled(t *testing.T) {
	tr := record(t, "/tmp/a1")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := transcript.Verify(ctx, tr, serve(t, greeter("hello")), &transcript.VerifyOptions{Vars: map[string]string{"DIR": "/x"}})
	if err == nil {
		t.Error("Verify with a cancelled context succeeded")
	}
}

func ExampleTranscript_Format() {
	tr := &transcript.Transcript{
		Header: transcript.Header{Server: "sleep", Protocol: "2025-11-25"},
		Messages: []transcript.Message{
			{From: transcript.ClientSide, Kind: transcript.Request, Method: "tools/list", JSON: []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)},
			{From: transcript.ServerSide, Kind: transcript.Response, Method: "tools/list", JSON: []byte(`{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}`)},
		},
	}
	fmt.Printf("%s", tr.Format())
	// Output:
	// server: sleep
	// protocol: 2025-11-25
	// -- 001 client request tools/list --
	// {"jsonrpc":"2.0","id":1,"method":"tools/list"}
	// -- 002 server response tools/list --
	// {"jsonrpc":"2.0","id":1,"result":{"tools":[]}}
}
