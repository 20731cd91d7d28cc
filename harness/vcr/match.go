package vcr

import (
	"encoding/json"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v2/cassette"
)

// DefaultMatcher is the matching a Recorder uses when Options.Matcher is
// nil: the same method, the same path and query (both already redacted,
// so project, location and keys do not count), and the same body,
// compared as JSON when both are JSON so that key order and spacing do
// not count. Headers do not count. A custom matcher can call it and
// then look further, or compare less.
func DefaultMatcher(sent, recorded cassette.Request) bool {
	return sent.Method == recorded.Method && sent.URL == recorded.URL &&
		canonical(sent.Body) == canonical(recorded.Body)
}

// canonical re-encodes a JSON body so that key order and spacing do not
// matter; any other body is left as it is.
func canonical(s string) string {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber() // 12345678901234567890 stays itself
	var v any
	if d.Decode(&v) != nil || d.More() {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return s
	}
	return string(b)
}
