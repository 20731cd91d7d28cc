package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/rogpeppe/go-internal/txtar"
)

// A Side is who sent a message.
type Side string

// The two sides of a session.
const (
	ClientSide Side = "client"
	ServerSide Side = "server"
)

// A Kind is what a JSON-RPC message is.
type Kind string

// The kinds of JSON-RPC messages.
const (
	Request      Kind = "request"
	Notification Kind = "notification"
	Response     Kind = "response"
	Error        Kind = "error" // a response carrying an error
)

// A Header says where a transcript comes from.
type Header struct {
	// Server is the server command line (or URL) the session ran against.
	Server string
	// Protocol is the MCP protocol revision the session negotiated.
	Protocol string
	// Date is the day the session was recorded, as YYYY-MM-DD.
	Date string
	// Vars names the ${NAME} placeholders that stand in the messages for
	// values that differ between runs, such as a temporary directory.
	Vars []string
	// Comment is free text shown before the fields.
	Comment string
}

// A Message is one JSON-RPC message of a session.
type Message struct {
	From Side
	Kind Kind
	// Method is the request's method or, for a response, the method of the
	// request it answers.
	Method string
	// JSON is the message as sent, indented for review.
	JSON json.RawMessage
	// Line is the line of the message's section in its file, or zero.
	Line int
}

// A Transcript is an MCP session: the messages of both sides, in the order
// they were sent.
type Transcript struct {
	// Name is the file the transcript was read from, for messages.
	Name     string
	Header   Header
	Messages []Message
}

// Load reads and parses the transcript in file.
func Load(file string) (*Transcript, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading transcript: %w", err)
	}
	return Parse(file, data)
}

// Parse parses a transcript; name is used in errors, which give the line.
// A section's name must agree with its JSON-RPC message: number (from 001),
// side, kind and method.
func Parse(name string, data []byte) (*Transcript, error) {
	ar := txtar.Parse(data)
	t := &Transcript{Name: name}
	if err := t.parseHeader(string(ar.Comment)); err != nil {
		return nil, err
	}
	line := 1 + bytes.Count(ar.Comment, []byte("\n"))
	for i, f := range ar.Files {
		m, err := parseMessage(i+1, f)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		m.Line = line
		t.Messages = append(t.Messages, m)
		line += 1 + bytes.Count(f.Data, []byte("\n"))
	}
	return t, nil
}

func (t *Transcript) parseHeader(comment string) error {
	var free []string
	for _, l := range strings.Split(strings.TrimSuffix(comment, "\n"), "\n") {
		key, value, _ := strings.Cut(l, ": ")
		switch key {
		case "server":
			t.Header.Server = value
		case "protocol":
			t.Header.Protocol = value
		case "date":
			t.Header.Date = value
		case "vars":
			t.Header.Vars = strings.Fields(value)
		default:
			free = append(free, l)
		}
	}
	t.Header.Comment = strings.TrimSpace(strings.Join(free, "\n"))
	if t.Header.Protocol == "" {
		return fmt.Errorf("%s:1: header has no protocol field", t.Name)
	}
	return nil
}

// parseMessage checks that the section "NNN side kind method" matches its
// message.
func parseMessage(n int, f txtar.File) (Message, error) {
	fields := strings.Fields(f.Name)
	if len(fields) != 4 {
		return Message{}, fmt.Errorf("section %q: want \"NNN side kind method\"", f.Name)
	}
	if got, err := strconv.Atoi(fields[0]); err != nil || got != n {
		return Message{}, fmt.Errorf("section %q: want number %03d", f.Name, n)
	}
	m := Message{From: Side(fields[1]), Kind: Kind(fields[2]), Method: fields[3], JSON: json.RawMessage(bytes.TrimSpace(f.Data))}
	if m.From != ClientSide && m.From != ServerSide {
		return Message{}, fmt.Errorf("section %q: side %q is neither client nor server", f.Name, m.From)
	}
	msg, err := jsonrpc.DecodeMessage(m.JSON)
	if err != nil {
		return Message{}, fmt.Errorf("section %q: %w", f.Name, err)
	}
	if kind, method := kindOf(msg); kind != m.Kind || (method != "" && method != m.Method) {
		return Message{}, fmt.Errorf("section %q: the message is a %s %s", f.Name, kind, method)
	}
	return m, nil
}

// kindOf returns the kind of msg and, for a request or notification, its
// method.
func kindOf(msg jsonrpc.Message) (Kind, string) {
	switch msg := msg.(type) {
	case *jsonrpc.Request:
		if msg.ID.IsValid() {
			return Request, msg.Method
		}
		return Notification, msg.Method
	case *jsonrpc.Response:
		if msg.Error != nil {
			return Error, ""
		}
		return Response, ""
	}
	return "", ""
}

// Format returns the transcript as a txtar file, the inverse of [Parse].
func (t *Transcript) Format() []byte {
	var c strings.Builder
	if t.Header.Comment != "" {
		c.WriteString(t.Header.Comment + "\n")
	}
	fmt.Fprintf(&c, "server: %s\nprotocol: %s\n", t.Header.Server, t.Header.Protocol)
	if t.Header.Date != "" {
		fmt.Fprintf(&c, "date: %s\n", t.Header.Date)
	}
	if len(t.Header.Vars) > 0 {
		fmt.Fprintf(&c, "vars: %s\n", strings.Join(t.Header.Vars, " "))
	}
	ar := &txtar.Archive{Comment: []byte(c.String())}
	for i, m := range t.Messages {
		ar.Files = append(ar.Files, txtar.File{
			Name: fmt.Sprintf("%03d %s %s %s", i+1, m.From, m.Kind, m.Method),
			Data: append(slices.Clone(m.JSON), '\n'),
		})
	}
	return txtar.Format(ar)
}

// section names m for messages: file, line and section.
func (t *Transcript) section(m Message) string {
	what := fmt.Sprintf("%s %s %s", m.From, m.Kind, m.Method)
	if t.Name == "" || m.Line == 0 {
		return what
	}
	return fmt.Sprintf("%s:%d: %s", t.Name, m.Line, what)
}
