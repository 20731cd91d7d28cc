package transcript

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/rogpeppe/go-internal/diff"
)

// VerifyOptions configure [Verify]. A nil *VerifyOptions means the
// defaults.
type VerifyOptions struct {
	// Vars gives the values of the transcript's placeholders.
	Vars map[string]string
	// Ignore lists JSON pointers (RFC 6901) into a response message, such
	// as /result/content/0/text, whose values are not compared; a "*"
	// token matches every key or index. They add to the fields that are
	// never compared: /id and the server's version.
	Ignore []string
}

// A Difference is a response of the live server that is not the one the
// transcript holds.
type Difference struct {
	// Section names the recorded response: file, line, side, kind, method.
	Section string
	// Diff is a unified diff from the recorded response to the live one,
	// both as indented JSON without the ignored fields.
	Diff string
}

func (d Difference) String() string { return d.Section + "\n" + d.Diff }

// Verify plays the client side of t against the server at the other end
// of transport, request by request, and returns the responses that
// differ from the recorded ones. Requests from the server (roots/list,
// sampling) are answered as the client answered them in t; notifications
// from the server are not compared. The error is for a session that could
// not be run: the server did not start, died, or ctx ended.
func Verify(ctx context.Context, t *Transcript, transport mcp.Transport, opts *VerifyOptions) ([]Difference, error) {
	if opts == nil {
		opts = &VerifyOptions{}
	}
	ignore, err := parsePointers(append([]string{"/id", "/result/serverInfo/version", "/result/_meta/io.modelcontextprotocol~1serverInfo/version"}, opts.Ignore...))
	if err != nil {
		return nil, err
	}
	t, err = t.Expand(opts.Vars)
	if err != nil {
		return nil, err
	}
	pairs, err := t.pairs()
	if err != nil {
		return nil, err
	}
	conn, err := transport.Connect(ctx)
	if err != nil {
		return nil, fmt.Errorf("connecting to the server: %w", err)
	}
	defer conn.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	responses := make(chan *jsonrpc.Response)
	readErr := make(chan error, 1)
	go func() { readErr <- readServer(ctx, conn, pairs, responses) }()

	var diffs []Difference
	for _, p := range pairs {
		if p.request.From != ClientSide {
			continue
		}
		if err := conn.Write(ctx, p.req); err != nil {
			return diffs, fmt.Errorf("%s: sending: %w", t.section(p.request), err)
		}
		if p.resp == nil {
			continue // never answered when recorded
		}
		live, err := await(ctx, p.req.ID, responses, readErr)
		if err != nil {
			return diffs, fmt.Errorf("%s: %w", t.section(p.request), err)
		}
		got, err := jsonrpc.EncodeMessage(live)
		if err != nil {
			return diffs, err
		}
		if d := compare(p.response.JSON, got, ignore); d != "" {
			diffs = append(diffs, Difference{Section: t.section(p.response), Diff: d})
		}
	}
	return diffs, nil
}

// readServer passes the server's responses on, and answers its requests as
// the client did in the transcript, until the connection ends.
func readServer(ctx context.Context, conn mcp.Connection, pairs []pair, responses chan<- *jsonrpc.Response) error {
	used := make([]bool, len(pairs))
	for {
		msg, err := conn.Read(ctx)
		if err != nil {
			return err
		}
		switch msg := msg.(type) {
		case *jsonrpc.Response:
			select {
			case responses <- msg:
			case <-ctx.Done():
				return ctx.Err()
			}
		case *jsonrpc.Request:
			if !msg.ID.IsValid() {
				continue
			}
			answer := &jsonrpc.Response{ID: msg.ID, Error: &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound, Message: "the transcript holds no answer to " + msg.Method}}
			for i, p := range pairs {
				if p.request.From == ServerSide && p.req.Method == msg.Method && p.resp != nil && !used[i] {
					used[i] = true
					answer = reply(msg.ID, p.resp)
					break
				}
			}
			if err := conn.Write(ctx, answer); err != nil {
				return err
			}
		}
	}
}

// await returns the response with the given id.
func await(ctx context.Context, id jsonrpc.ID, responses <-chan *jsonrpc.Response, readErr <-chan error) (*jsonrpc.Response, error) {
	for {
		select {
		case r := <-responses:
			if r.ID == id {
				return r, nil
			}
		case err := <-readErr:
			return nil, fmt.Errorf("the server ended the session before answering: %w", err)
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the answer: %w", ctx.Err())
		}
	}
}

// compare returns a diff from the recorded message to the live one, or ""
// when they are equal but for the ignored fields.
func compare(recorded, live []byte, ignore [][]string) string {
	want, got := normalize(recorded, ignore), normalize(live, ignore)
	if bytes.Equal(want, got) {
		return ""
	}
	return string(diff.Diff("recorded", want, "live", got))
}

// normalize returns msg as indented JSON with sorted keys, without the
// ignored fields.
func normalize(msg []byte, ignore [][]string) []byte {
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return msg
	}
	for _, p := range ignore {
		v = remove(v, p)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
	return b.Bytes()
}

// remove deletes the values at the pointer's tokens from v: a key from an
// object, or an element of an array, which becomes null so that the
// indexes of the others hold.
func remove(v any, tokens []string) any {
	if len(tokens) == 0 {
		return nil
	}
	tok, rest := tokens[0], tokens[1:]
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if tok != "*" && tok != k {
				continue
			}
			if len(rest) == 0 {
				delete(v, k)
			} else {
				v[k] = remove(e, rest)
			}
		}
	case []any:
		for i, e := range v {
			if tok != "*" && tok != strconv.Itoa(i) {
				continue
			}
			v[i] = remove(e, rest)
		}
	}
	return v
}

// parsePointers splits JSON pointers into their unescaped tokens.
func parsePointers(pointers []string) ([][]string, error) {
	var out [][]string
	for _, p := range pointers {
		if !strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("JSON pointer %q: want a leading /", p)
		}
		tokens := strings.Split(p[1:], "/")
		for i, tok := range tokens {
			tokens[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		}
		out = append(out, slices.Clip(tokens))
	}
	return out, nil
}
