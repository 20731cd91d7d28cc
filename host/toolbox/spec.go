package toolbox

import (
	"fmt"
	"net/url"
	"strings"
)

// A ServerSpec says how to reach one MCP server: either a command to run
// over stdio, or the URL of a streamable HTTP endpoint.
type ServerSpec struct {
	// Command is the program to run, looked up in PATH when it has no slash.
	// It is empty when URL is set.
	Command string
	Args    []string
	// Env holds "K=V" entries set for the command, on top of the minimal
	// environment every server gets (see [Options.Environ]); later entries
	// win.
	Env []string
	// Pass names variables of the host's environment passed through to
	// this server alone, such as the API key only it needs.
	Pass []string
	// URL is the streamable HTTP endpoint of a server that is already running.
	URL string
	// TokenEnv, for a URL server, names the host variable whose value is
	// sent as "Authorization: Bearer <value>" with every request.
	TokenEnv string
}

// A SpecError reports where a -mcpservers spec is malformed.
type SpecError struct {
	Offset int // byte offset in the spec
	Server int // 1-based index of the server being parsed
	Msg    string
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("mcpservers spec: server %d, offset %d: %s", e.Server, e.Offset, e.Msg)
}

// ParseSpec parses the value of the -mcpservers flag.
//
// Servers are separated by ';'. Each one is a command line split into words
// as a POSIX shell would: whitespace separates words, 'single quotes' keep
// everything literally, "double quotes" keep everything but \" and \\, and a
// backslash outside quotes escapes the next byte, so a quoted or escaped ';'
// does not end the server. Leading NAME=value words set that server's
// environment, as in a shell, and leading bare NAME words pass the host's
// variable NAME through to that server alone:
//
//	GEMINI_API_KEY LOG=debug bin/imagen -dir /tmp/img
//
// A bare NAME is an unquoted word of upper-case letters, digits and '_',
// not starting with a digit. Since commands can be upper-case too (LS), the
// last bare NAME is the command rather than a name when nothing follows it
// or the word after it starts with '-': "LS", "LS -root /src" and
// "GEMINI_API_KEY LS -root /src" all run LS. Quote the word or give a path
// ("./LS") to leave no doubt. A server whose command starts with http:// or
// https:// is a streamable HTTP endpoint and takes no arguments or
// environment; one bare NAME before it names the host variable holding its
// bearer token ([ServerSpec.TokenEnv]): "MCP_TOKEN https://tools/mcp".
//
// Empty servers (";;", a trailing ';', blanks) are skipped. An unterminated
// quote, a dangling backslash or a missing command is a *SpecError.
func ParseSpec(s string) ([]ServerSpec, error) {
	servers, err := splitServers(s)
	if err != nil {
		return nil, err
	}
	var specs []ServerSpec
	for i, words := range servers {
		if len(words) == 0 {
			continue
		}
		spec, err := buildSpec(words)
		if err != nil {
			err.Server = i + 1
			return nil, err
		}
		specs = append(specs, spec)
	}
	return specs, nil
}

func buildSpec(words []word) (ServerSpec, *SpecError) {
	var spec ServerSpec
	start := words[0].pos
	n := 0
	for n < len(words) && (words[n].assign || words[n].name) {
		n++
	}
	if n > 0 && words[n-1].name && (n == len(words) || strings.HasPrefix(words[n].text, "-")) {
		n-- // an upper-case command, such as LS
	}
	for _, w := range words[:n] {
		if w.assign {
			spec.Env = append(spec.Env, w.text)
		} else {
			spec.Pass = append(spec.Pass, w.text)
		}
	}
	words = words[n:]
	if len(words) == 0 {
		return spec, &SpecError{Offset: start, Msg: "environment without a command"}
	}
	cmd := words[0]
	if cmd.text == "" {
		return spec, &SpecError{Offset: cmd.pos, Msg: "empty command"}
	}
	if !isURL(cmd.text) {
		spec.Command = cmd.text
		for _, w := range words[1:] {
			spec.Args = append(spec.Args, w.text)
		}
		return spec, nil
	}
	u, err := url.Parse(cmd.text)
	if err != nil || u.Host == "" {
		return spec, &SpecError{Offset: cmd.pos, Msg: fmt.Sprintf("invalid URL %q", cmd.text)}
	}
	if len(spec.Env) > 0 || len(spec.Pass) > 1 || len(words) > 1 {
		return spec, &SpecError{Offset: cmd.pos, Msg: "a URL server takes no arguments or environment, only the NAME of the variable holding its bearer token"}
	}
	if len(spec.Pass) == 1 {
		spec.TokenEnv, spec.Pass = spec.Pass[0], nil
	}
	spec.URL = cmd.text
	return spec, nil
}

func isURL(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// A word is one shell word of a server's command line.
type word struct {
	text   string
	pos    int  // offset of its first byte in the spec
	assign bool // starts with an unquoted NAME=
	name   bool // is an unquoted upper-case NAME, a variable to pass through
}

// splitServers splits s at unquoted ';' into servers, and each server into
// words.
func splitServers(s string) ([][]word, *SpecError) {
	var (
		servers [][]word
		words   []word
		b       strings.Builder
		w       *word // the word being read, nil between words
		plain   bool  // w has no quoted or escaped byte so far
		sawEq   bool  // w has had its first unquoted '='
	)
	fail := func(off int, msg string) *SpecError {
		return &SpecError{Offset: off, Server: len(servers) + 1, Msg: msg}
	}
	begin := func(i int) {
		if w == nil {
			w, plain, sawEq = &word{pos: i}, true, false
			b.Reset()
		}
	}
	end := func() {
		if w != nil {
			w.text = b.String()
			w.name = plain && isPassName(w.text)
			words = append(words, *w)
			w = nil
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ';':
			end()
			servers = append(servers, words)
			words = nil
		case ' ', '\t', '\n', '\r':
			end()
		case '\\':
			if i+1 == len(s) {
				return nil, fail(i, "dangling backslash")
			}
			begin(i)
			plain = false
			i++
			b.WriteByte(s[i])
		case '\'':
			begin(i)
			plain = false
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fail(i, "unterminated single quote")
			}
			b.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case '"':
			begin(i)
			plain = false
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' && j+1 < len(s) && (s[j+1] == '"' || s[j+1] == '\\') {
					j++
				}
				b.WriteByte(s[j])
			}
			if j == len(s) {
				return nil, fail(i, "unterminated double quote")
			}
			i = j
		default:
			begin(i)
			if c == '=' && !sawEq {
				sawEq = true
				w.assign = plain && isEnvName(b.String())
			}
			b.WriteByte(c)
		}
	}
	end()
	return append(servers, words), nil
}

func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && !isLetter(c) && (i == 0 || !isDigit(c)) {
			return false
		}
	}
	return true
}

// isPassName reports whether s can be a bare NAME on a spec line: an
// environment variable name in upper case.
func isPassName(s string) bool {
	return isEnvName(s) && strings.ToUpper(s) == s
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
