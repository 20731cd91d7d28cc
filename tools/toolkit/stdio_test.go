package toolkit

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestStdioSurvivesMalformedJSON(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := mcp.NewServer(&mcp.Implementation{Name: "t", Version: "1"}, nil)
	done := make(chan error, 1)
	go func() { done <- ServeStdio(t.Context(), s, inR, outW) }()
	lines := bufio.NewScanner(outR)
	send := func(line string) string {
		t.Helper()
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatal(err)
		}
		if !lines.Scan() {
			t.Fatalf("no answer to %s: %v", line, lines.Err())
		}
		return lines.Text()
	}

	got := send(`{"jsonrpc": "2.0", "id": 1, "method": "ping"]`)
	if !strings.Contains(got, `"code":-32700`) || !strings.Contains(got, `"id":null`) {
		t.Errorf("malformed JSON answered %s, want a -32700 error with a null id", got)
	}
	got = send(`{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}}`)
	if !strings.Contains(got, `"id":2`) || !strings.Contains(got, `"protocolVersion":"2025-06-18"`) {
		t.Errorf("initialize after malformed JSON answered %s", got)
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Errorf("ServeStdio = %v, want nil at the end of stdin", err)
	}
}
