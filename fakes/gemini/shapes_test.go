package fakegemini_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
)

// The recordings of the real services that the host replays; the fake
// must produce their shapes.
const wireDir = "../../host/llm/gemini/testdata/wire/"

// recorded returns the JSON payloads of a recording's response: its SSE
// data frames, or the body itself when it is not a stream.
func recorded(t *testing.T, name string) []map[string]any {
	t.Helper()
	a, err := txtar.ParseFile(wireDir + name + ".txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files {
		if f.Name == "response" {
			return payloads(t, f.Data)
		}
	}
	t.Fatalf("%s: no response section", name)
	return nil
}

func payloads(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	frames := false
	for line := range strings.Lines(string(body)) {
		data, ok := strings.CutPrefix(strings.TrimSpace(line), "data: ")
		if !ok {
			continue
		}
		frames = true
		var m map[string]any
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			t.Fatalf("payload %q: %v", data, err)
		}
		out = append(out, m)
	}
	if !frames {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("body %q: %v", body, err)
		}
		out = append(out, m)
	}
	return out
}

// serve plays script on the fake and posts one raw request, streamed with
// alt=sse unless unary, returning the status and the payloads.
func serve(t *testing.T, script string, vertex, unary bool, body string) (int, []map[string]any) {
	t.Helper()
	ts := fakegemini.NewTestServer(t, parse(t, script))
	method := ":streamGenerateContent?alt=sse"
	if unary {
		method = ":generateContent"
	}
	url := ts.URL + "/v1beta/models/gemini-test" + method
	if vertex {
		url = ts.URL + "/v1beta1/projects/p/locations/l/publishers/google/models/gemini-test" + method
	}
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("x-goog-api-key", "k")
	resp, err := ts.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, payloads(t, b)
}

// shape replaces every scalar by its JSON type, keeping keys and
// nesting, and drops the keys in ignore.
func shape(v any, ignore map[string]bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			if !ignore[k] {
				out[k] = shape(e, ignore)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = shape(e, ignore)
		}
		return out
	case string:
		if v == "" {
			return `""` // an empty string is a shape of its own
		}
		return "string"
	case float64:
		return "number"
	case bool:
		return fmt.Sprint(v)
	}
	return "null"
}

func candidate(m map[string]any) any {
	cs, _ := m["candidates"].([]any)
	if len(cs) == 0 {
		return nil
	}
	return cs[0]
}

const (
	askStreamedArgs = `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"toolConfig":{"functionCallingConfig":{"streamFunctionCallArguments":true}}}`
	plainRequest    = `{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`
)

// TestShapesMatchRecordings drives scenarios that reproduce recorded
// answers of Gemini and Vertex, and compares the fake's events with the
// recorded ones, field by field, values aside: every candidate, and the
// usage of all but the last event when the recording is Vertex's.
func TestShapesMatchRecordings(t *testing.T) {
	tests := []struct {
		name      string
		recording string
		vertex    bool
		unary     bool
		request   string
		script    string
		ignore    []string // keys the recordings disagree on
	}{{
		name:      "streamed arguments",
		recording: "vercel-ai-google-stream-tool-call-arguments",
		vertex:    true,
		request:   askStreamedArgs,
		script: `-- 1 --
call getWeather {"location": "Boston"} sig=auto stream
call getWeather {"location": "San Francisco"} stream
usage prompt=26 candidates=23 thoughts=132 traffic=ON_DEMAND
`,
	}, {
		name:      "streamed arguments after a call without arguments",
		recording: "vercel-ai-google-stream-no-args-tool-call",
		vertex:    true,
		request:   askStreamedArgs,
		script: `-- 1 --
thought "**Processing User Requests**\n\n"
call read_theme sig=auto
call read_screen {"id": "A"} stream
call read_screen {"id": "B"} stream
call read_screen {"id": "C"} stream
text ""
usage prompt=249 candidates=58 thoughts=183 traffic=PROVISIONED_THROUGHPUT
`,
	}, {
		name:      "streamed arguments without the terminal call",
		recording: "vercel-ai-google-stream-tool-call-array-arguments-missing-terminal-function-call",
		vertex:    true,
		request:   plainRequest, // stream=always streams unasked
		script: `-- 1 --
call writeItems {"operations": [{"action": "add", "description": "Fresh red apple", "itemid": "apple_001", "price": 0.5}, {"action": "add", "description": "Ripe yellow banana", "itemid": "banana_001", "price": 0.3}]} sig=auto stream=always unterminated
text ""
usage prompt=54 candidates=74 thoughts=121 traffic=PROVISIONED_THROUGHPUT
`,
	}, {
		name:      "signed trailing empty text",
		recording: "vercel-ai-google-reasoning-gemini3",
		request:   plainRequest,
		script: `-- 1 --
text "There are **3** \"r\"s in strawberry.\n\n"
text St**r**awbe**rr**y
text ""
sig auto
usage prompt=9 candidates=23 thoughts=302
`,
	}, {
		name:      "signed text on Vertex, trafficType alone first",
		recording: "fantasy-vertex-gemini-2-5-pro-multi_tool_streaming-2",
		vertex:    true,
		request:   plainRequest,
		script: `-- 1 --
text The sum of 2 and 3 is 5, and the
sig auto
text " product of 2 and 3 is 6."
usage prompt=73 candidates=25 thoughts=83 traffic=ON_DEMAND
`,
	}, {
		name:      "code execution",
		recording: "pydantic-ai-test_code_execution_stream",
		request:   plainRequest,
		script: `-- 1 --
code PYTHON id=8xju7mua "result = 65465 - 6544 * 65464 - 6 + 1.02255\nprint(result)"
sig auto
+text ""
result OUTCOME_OK id=8xju7mua "-428330955.97745\n"
text The result of $65465 - 6544 \\times 6546
text 4 - 6 + 1.02255$ is **-428,330
text ,955.97745**.
text ""
sig auto
usage prompt=147 candidates=108 thoughts=168 tooluse=360
`,
		ignore: []string{"index"}, // the service leaves it out of the codeExecutionResult chunk only
	}, {
		name:      "url context and grounding",
		recording: "pydantic-ai-test_google_model_web_fetch_tool_stream",
		request:   plainRequest,
		script: `-- 1 --
text Pydantic AI
urlcontext {"urlMetadata": [{"retrievedUrl": "https://ai.pydantic.dev", "urlRetrievalStatus": "URL_RETRIEVAL_STATUS_SUCCESS"}]}
text " Gateway is now available!"
grounding {"groundingChunks": [{"web": {"uri": "https://ai.pydantic.dev", "title": "Pydantic AI"}}], "groundingSupports": [{"segment": {"endIndex": 37, "text": "Pydantic AI Gateway is now available!"}, "groundingChunkIndices": [0]}]}
usage prompt=32 candidates=25 thoughts=37 tooluse=4610
`,
	}, {
		name:      "safety stop",
		recording: "pydantic-ai-test_google_model_safety_settings",
		unary:     true,
		request:   plainRequest,
		script: `-- 1 --
finish SAFETY
content {}
safety HARM_CATEGORY_HATE_SPEECH LOW blocked
safety HARM_CATEGORY_DANGEROUS_CONTENT NEGLIGIBLE
safety HARM_CATEGORY_HARASSMENT NEGLIGIBLE
safety HARM_CATEGORY_SEXUALLY_EXPLICIT NEGLIGIBLE
usage prompt=14
`,
		ignore: []string{"index"}, // absent from this recording, present in the MAX_TOKENS one
	}, {
		name:      "out of tokens with no parts",
		recording: "pydantic-ai-test_google_model_max_tokens_thinking_model_empty_response",
		unary:     true,
		request:   plainRequest,
		script: `-- 1 --
finish MAX_TOKENS
content role
usage prompt=15 thoughts=2
`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := recorded(t, tc.recording)
			code, got := serve(t, tc.script, tc.vertex, tc.unary, tc.request)
			if code != http.StatusOK {
				t.Fatalf("status %d: %v", code, got)
			}
			if len(got) != len(want) {
				t.Fatalf("%d events, the recording has %d", len(got), len(want))
			}
			ignore := map[string]bool{}
			for _, k := range tc.ignore {
				ignore[k] = true
			}
			for i := range want {
				w, g := shape(candidate(want[i]), ignore), shape(candidate(got[i]), ignore)
				if !reflect.DeepEqual(w, g) {
					wj, _ := json.Marshal(w)
					gj, _ := json.Marshal(g)
					t.Errorf("event %d candidate:\nwant %s\ngot  %s", i, wj, gj)
				}
				if tc.vertex && i < len(want)-1 {
					w, g := shape(want[i]["usageMetadata"], nil), shape(got[i]["usageMetadata"], nil)
					if !reflect.DeepEqual(w, g) {
						t.Errorf("event %d usageMetadata: want %v, got %v", i, w, g)
					}
				}
			}
			// The last usage holds the counts the recording has (besides
			// the per-modality details the fake does not make up).
			last := got[len(got)-1]["usageMetadata"].(map[string]any)
			for k, v := range want[len(want)-1]["usageMetadata"].(map[string]any) {
				if strings.HasSuffix(k, "Details") || k == "serviceTier" {
					continue
				}
				if k != "totalTokenCount" && !reflect.DeepEqual(last[k], v) {
					t.Errorf("last usageMetadata.%s = %v, want %v", k, last[k], v)
				}
			}
		})
	}
}

// TestErrorDetailsMatchRecording compares an error body with details with
// the one the Gemini API sent, value for value.
func TestErrorDetailsMatchRecording(t *testing.T) {
	want := recorded(t, "crewAI-test_google_streaming_returns_usage_metrics-1")
	code, got := serve(t, `-- 1 --
error 400 INVALID_ARGUMENT API key not valid. Please pass a valid API key.
detail info API_KEY_INVALID googleapis.com service=generativelanguage.googleapis.com
detail message en-US API key not valid. Please pass a valid API key.
`, false, false, plainRequest)
	if code != 400 || !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("status %d body\n%s\nwant 400\n%s", code, g, w)
	}
}

// TestStreamedArgumentsOnlyWhenAsked checks that a call with stream is
// sent whole when the request does not ask for streamed arguments, and in
// a non-streaming answer, and that the Gemini API refuses the field.
func TestStreamedArgumentsOnlyWhenAsked(t *testing.T) {
	const script = `-- 1 --
call getWeather {"location": "Boston"} sig=c2ln stream
`
	wantWhole := `{"functionCall":{"args":{"location":"Boston"},"name":"getWeather"},"thoughtSignature":"c2ln"}`
	for _, tc := range []struct {
		name    string
		vertex  bool
		unary   bool
		request string
	}{
		{"not asked", true, false, plainRequest},
		{"not streamed", true, true, askStreamedArgs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, got := serve(t, script, tc.vertex, tc.unary, tc.request)
			if code != 200 || len(got) != 1 {
				t.Fatalf("status %d, %d events, want 200 and 1", code, len(got))
			}
			parts := candidate(got[0]).(map[string]any)["content"].(map[string]any)["parts"].([]any)
			b, _ := json.Marshal(parts[0])
			if len(parts) != 1 || string(b) != wantWhole {
				t.Errorf("parts = %s, want [%s]", b, wantWhole)
			}
		})
	}
	t.Run("gemini api", func(t *testing.T) {
		ts := fakegemini.NewTestServer(t, parse(t, "-- refused --\nexpect refused 400 streamFunctionCallArguments\n-- unused --\ntext x\n"))
		resp, err := ts.HTTPClient().Post(ts.URL+"/v1beta/models/m:streamGenerateContent?alt=sse&key=k", "application/json", bytes.NewBufferString(askStreamedArgs))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), `Unknown name \"streamFunctionCallArguments\"`) {
			t.Errorf("status %d body %s, want 400 naming the unknown field", resp.StatusCode, b)
		}
		// The turn was never used: answer it, so that the test server
		// does not complain.
		resp, err = ts.HTTPClient().Post(ts.URL+"/v1beta/models/m:generateContent?key=k", "application/json", bytes.NewBufferString(plainRequest))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	})
}
