package transcript_test

import (
	"context"
	"fmt"
	"log"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/owulveryck/gomcptest/harness/transcript"
)

// inMemory connects a server to in-memory transports and returns the
// client's end.
func inMemory(ctx context.Context, s *mcp.Server) mcp.Transport {
	client, server := mcp.NewInMemoryTransports()
	if _, err := s.Connect(ctx, server, nil); err != nil {
		log.Fatal(err)
	}
	return client
}

// Record a session with a server, then verify that a changed server
// still answers as recorded: the differences name the message and show
// what changed.
func Example_recordThenVerify() {
	ctx := context.Background()
	rec := transcript.NewRecorder(inMemory(ctx, greeter("Hello")))
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "example", Version: "v1"}, nil).
		Connect(ctx, rec, &mcp.ClientSessionOptions{ProtocolVersion: "2025-11-25"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "greet", Arguments: map[string]any{"name": "Ada"}}); err != nil {
		log.Fatal(err)
	}
	cs.Close()
	tr := rec.Transcript(transcript.Header{Server: "greeter"})
	fmt.Println(len(tr.Messages), "messages recorded")

	for _, greeting := range []string{"Hello", "Bonjour"} {
		diffs, err := transcript.Verify(ctx, tr, inMemory(ctx, greeter(greeting)), nil)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d differences\n", greeting, len(diffs))
		for _, d := range diffs {
			fmt.Println(d)
		}
	}
	// Output:
	// 5 messages recorded
	// Hello: 0 differences
	// Bonjour: 1 differences
	// server response tools/call
	// diff recorded live
	// --- recorded
	// +++ live
	// @@ -3,7 +3,7 @@
	//    "result": {
	//      "content": [
	//        {
	// -        "text": "Hello Ada",
	// +        "text": "Bonjour Ada",
	//          "type": "text"
	//        }
	//      ]
}
