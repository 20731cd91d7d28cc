package gemini

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"google.golang.org/genai"
)

// streamedCall is a function call being assembled from a stream. Vertex
// streams arguments (streamFunctionCallArguments) as partialArgs, each
// setting the value at a JSON path; string values arrive in pieces that are
// concatenated.
type streamedCall struct {
	name      string
	id        string
	signature []byte
	args      map[string]any
}

func newStreamedCall(fc *genai.FunctionCall, signature []byte) *streamedCall {
	args := maps.Clone(fc.Args)
	if args == nil {
		args = map[string]any{}
	}
	return &streamedCall{name: fc.Name, id: fc.ID, signature: signature, args: args}
}

// maxArrayIndex bounds the arrays a partial argument may grow, so that a
// bad path from the wire cannot allocate without limit.
const maxArrayIndex = 1 << 16

// apply sets each partial argument in c.args.
func (c *streamedCall) apply(partials []*genai.PartialArg) error {
	for _, pa := range partials {
		path, err := parseJSONPath(pa.JsonPath)
		if err != nil {
			return fmt.Errorf("streamed arguments of %s: %w", c.name, err)
		}
		var v any
		switch {
		case pa.NumberValue != nil:
			v = *pa.NumberValue
		case pa.BoolValue != nil:
			v = *pa.BoolValue
		case pa.NULLValue != "":
			v = nil
		default:
			v = pa.StringValue
		}
		root, err := setPath(c.args, path, v)
		if err != nil {
			return fmt.Errorf("streamed arguments of %s at %s: %w", c.name, pa.JsonPath, err)
		}
		m, ok := root.(map[string]any)
		if !ok {
			return fmt.Errorf("streamed arguments of %s at %s: arguments are not an object", c.name, pa.JsonPath)
		}
		c.args = m
	}
	return nil
}

// segment is one step of a JSON path: an object key or an array index.
type segment struct {
	key   string
	index int // -1 for an object key
}

// parseJSONPath parses the RFC 9535 paths Gemini sends: "$" followed by
// ".name", "['name']" or "[3]" steps.
func parseJSONPath(p string) ([]segment, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("JSON path %q does not start with $", p)
	}
	var path []segment
	rest := p[1:]
	for rest != "" {
		switch rest[0] {
		case '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			if end == 0 {
				return nil, fmt.Errorf("JSON path %q: empty name", p)
			}
			path = append(path, segment{key: rest[1 : 1+end], index: -1})
			rest = rest[1+end:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("JSON path %q: unclosed [", p)
			}
			inner := rest[1:end]
			rest = rest[end+1:]
			if len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0] {
				path = append(path, segment{key: inner[1 : len(inner)-1], index: -1})
				continue
			}
			i, err := strconv.Atoi(inner)
			if err != nil || i < 0 || i > maxArrayIndex {
				return nil, fmt.Errorf("JSON path %q: bad index %q", p, inner)
			}
			path = append(path, segment{index: i})
		default:
			return nil, fmt.Errorf("JSON path %q: unexpected %q", p, rest[0])
		}
	}
	return path, nil
}

// setPath sets v at path under node and returns the new node: objects and
// arrays are created as needed, and a string is appended to the string
// already there.
func setPath(node any, path []segment, v any) (any, error) {
	if len(path) == 0 {
		if s, ok := v.(string); ok {
			if old, ok := node.(string); ok {
				return old + s, nil
			}
		}
		return v, nil
	}
	seg := path[0]
	if seg.index < 0 {
		m, ok := node.(map[string]any)
		if !ok {
			if node != nil {
				return nil, fmt.Errorf("%q: not an object", seg.key)
			}
			m = map[string]any{}
		}
		child, err := setPath(m[seg.key], path[1:], v)
		if err != nil {
			return nil, err
		}
		m[seg.key] = child
		return m, nil
	}
	a, ok := node.([]any)
	if !ok && node != nil {
		return nil, fmt.Errorf("[%d]: not an array", seg.index)
	}
	for len(a) <= seg.index {
		a = append(a, nil)
	}
	child, err := setPath(a[seg.index], path[1:], v)
	if err != nil {
		return nil, err
	}
	a[seg.index] = child
	return a, nil
}
