package fakegemini

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/owulveryck/gomcptest/fakes/internal/scenario"
)

// This file parses the arguments of the directives that shape parts,
// candidates and errors the way the real services do.

// streamedArgs lists the values of a JSON object in the order they are
// written, each with its JSON path, as Vertex streams them. Empty objects
// and arrays have no value to stream and are refused.
func streamedArgs(raw string) ([]*PartialArg, error) {
	dec := json.NewDecoder(strings.NewReader(raw))
	var out []*PartialArg
	if err := leaves(dec, "$", &out); err != nil {
		return nil, fmt.Errorf("streamed arguments: %v", err)
	}
	return out, nil
}

// plainKey is a key a JSON path may write as ".key".
var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func leaves(dec *json.Decoder, path string, out *[]*PartialArg) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch v := tok.(type) {
	case json.Delim:
		n := 0
		for ; dec.More(); n++ {
			child := fmt.Sprintf("%s[%d]", path, n)
			if v == '{' {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key := k.(string)
				switch {
				case plainKey.MatchString(key):
					child = path + "." + key
				case strings.ContainsAny(key, `'\`):
					return fmt.Errorf("key %q cannot be written in a JSON path", key)
				default:
					child = path + "['" + key + "']"
				}
			}
			if err := leaves(dec, child, out); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		if n == 0 && path != "$" {
			return fmt.Errorf("%s is empty: only values can be streamed", path)
		}
	case string:
		*out = append(*out, &PartialArg{JSONPath: path, StringValue: &v})
	case float64:
		*out = append(*out, &PartialArg{JSONPath: path, NumberValue: &v})
	case bool:
		*out = append(*out, &PartialArg{JSONPath: path, BoolValue: &v})
	case nil:
		*out = append(*out, &PartialArg{JSONPath: path, NullValue: "NULL_VALUE"})
	}
	return nil
}

// codePart parses "code LANGUAGE [id=ID] CODE" into an executableCode part
// and "result OUTCOME [id=ID] OUTPUT" into a codeExecutionResult part; the
// code and the output are the rest of the line or a Go-quoted string.
func codePart(verb, arg string) (*Part, error) {
	kind, rest, _ := strings.Cut(arg, " ")
	rest = strings.TrimSpace(rest)
	if !statusName.MatchString(kind) {
		if verb == "code" {
			return nil, fmt.Errorf("code wants a language such as PYTHON first, got %q", kind)
		}
		return nil, fmt.Errorf("result wants an outcome such as OUTCOME_OK, OUTCOME_FAILED first, got %q", kind)
	}
	var id string
	if v, ok := strings.CutPrefix(rest, "id="); ok {
		id, rest, _ = strings.Cut(v, " ")
		rest = strings.TrimSpace(rest)
	}
	text, err := scenario.Text(rest)
	if err != nil {
		return nil, err
	}
	if verb == "code" {
		b, _ := json.Marshal(struct {
			Language string `json:"language"`
			Code     string `json:"code"`
			ID       string `json:"id,omitempty"`
		}{kind, text, id})
		return &Part{ExecutableCode: b}, nil
	}
	b, _ := json.Marshal(struct {
		Outcome string `json:"outcome"`
		Output  string `json:"output,omitempty"`
		ID      string `json:"id,omitempty"`
	}{kind, text, id})
	return &Part{CodeExecutionResult: b}, nil
}

// safetyArg parses "CATEGORY PROBABILITY [blocked]".
func safetyArg(arg string) (*SafetyRating, error) {
	f := strings.Fields(arg)
	if len(f) < 2 || len(f) > 3 || !statusName.MatchString(f[0]) || !statusName.MatchString(f[1]) || (len(f) == 3 && f[2] != "blocked") {
		return nil, fmt.Errorf("safety wants CATEGORY PROBABILITY [blocked], such as HARM_CATEGORY_HATE_SPEECH LOW blocked; got %q", arg)
	}
	return &SafetyRating{Category: f[0], Probability: f[1], Blocked: len(f) == 3}, nil
}

// The google.rpc detail types a scenario names.
const (
	typeErrorInfo        = "type.googleapis.com/google.rpc.ErrorInfo"
	typeRetryInfo        = "type.googleapis.com/google.rpc.RetryInfo"
	typeLocalizedMessage = "type.googleapis.com/google.rpc.LocalizedMessage"
)

// detailArg parses the detail of an error:
//
//	retry DELAY                       RetryInfo, DELAY such as 34s
//	info REASON DOMAIN [KEY=VALUE...] ErrorInfo with its metadata
//	message LOCALE TEXT               LocalizedMessage
//	{JSON}                            any detail, with its "@type"
func detailArg(arg string) (json.RawMessage, error) {
	if strings.HasPrefix(arg, "{") {
		var d map[string]any
		if err := json.Unmarshal([]byte(arg), &d); err != nil {
			return nil, fmt.Errorf("not a JSON object: %v", err)
		}
		if t, _ := d["@type"].(string); t == "" {
			return nil, fmt.Errorf(`a detail needs an "@type"`)
		}
		return json.RawMessage(arg), nil
	}
	kind, rest, _ := strings.Cut(arg, " ")
	rest = strings.TrimSpace(rest)
	var v any
	switch kind {
	case "retry":
		if d, err := time.ParseDuration(rest); err != nil || d <= 0 || !strings.HasSuffix(rest, "s") || strings.ContainsAny(rest, "hm") {
			return nil, fmt.Errorf("retry wants a delay in seconds such as 34s or 0.5s, got %q", rest)
		}
		v = struct {
			Type       string `json:"@type"`
			RetryDelay string `json:"retryDelay"`
		}{typeRetryInfo, rest}
	case "info":
		f := strings.Fields(rest)
		if len(f) < 2 || !statusName.MatchString(f[0]) {
			return nil, fmt.Errorf("info wants REASON DOMAIN [KEY=VALUE...], such as API_KEY_INVALID googleapis.com service=generativelanguage.googleapis.com; got %q", rest)
		}
		meta := map[string]string{}
		for _, kv := range f[2:] {
			k, val, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("info: bad metadata %q (want KEY=VALUE)", kv)
			}
			meta[k] = val
		}
		info := struct {
			Type     string            `json:"@type"`
			Reason   string            `json:"reason"`
			Domain   string            `json:"domain"`
			Metadata map[string]string `json:"metadata,omitempty"`
		}{typeErrorInfo, f[0], f[1], meta}
		v = info
	case "message":
		locale, text, _ := strings.Cut(rest, " ")
		text, err := scenario.Text(strings.TrimSpace(text))
		if err != nil {
			return nil, err
		}
		if locale == "" || text == "" {
			return nil, fmt.Errorf("message wants LOCALE TEXT, such as en-US Quota exceeded.; got %q", rest)
		}
		v = struct {
			Type    string `json:"@type"`
			Locale  string `json:"locale"`
			Message string `json:"message"`
		}{typeLocalizedMessage, locale, text}
	default:
		return nil, fmt.Errorf("unknown detail %q (want retry, info, message or a JSON object)", kind)
	}
	b, _ := json.Marshal(v)
	return b, nil
}
