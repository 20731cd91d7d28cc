package gemini_test

import (
	"context"
	"testing"

	"google.golang.org/genai"

	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
	"github.com/owulveryck/gomcptest/host/llm"
)

// TestFakeShapes drives the provider through the real genai client against
// the fake server, playing the shapes recorded from the real services (see
// fakes/gemini's doc), and compares the deltas with what a client must see.
func TestFakeShapes(t *testing.T) {
	tests := []struct {
		name   string
		vertex bool
		script string
		want   string
	}{{
		name:   "streamed arguments",
		vertex: true,
		script: `call getWeather {"location": "Boston", "days": 2, "metric": true} sig=c2lnMQ== stream=always
call getWeather {"location": "San Francisco"} stream=always
usage prompt=26 candidates=23 thoughts=132 traffic=ON_DEMAND`,
		want: `{"tool_calls":[{"id":"call_1","name":"getWeather","arguments":{"days":2,"location":"Boston","metric":true},"signature":"c2lnMQ==... (4 bytes)"}]}
{"tool_calls":[{"id":"call_2","name":"getWeather","arguments":{"location":"San Francisco"}}]}
{"usage":{"PromptTokens":26,"CompletionTokens":155,"ReasoningTokens":132,"CachedTokens":0},"finish":"tool_calls"}
`,
	}, {
		name:   "streamed arguments without the terminal call",
		vertex: true,
		script: `call writeItems {"operations": [{"action": "add", "price": 0.5}, {"action": "drop", "price": 0.3}]} sig=c2lnMQ== stream=always unterminated
text ""
usage prompt=54 candidates=74 thoughts=121 traffic=PROVISIONED_THROUGHPUT`,
		want: `{"tool_calls":[{"id":"call_1","name":"writeItems","arguments":{"operations":[{"action":"add","price":0.5},{"action":"drop","price":0.3}]},"signature":"c2lnMQ==... (4 bytes)"}]}
{"usage":{"PromptTokens":54,"CompletionTokens":195,"ReasoningTokens":121,"CachedTokens":0},"finish":"tool_calls"}
`,
	}, {
		name:   "streamed arguments not asked for",
		vertex: true,
		script: `call getWeather {"location": "Boston"} sig=c2lnMQ== stream
usage prompt=26 candidates=23`,
		want: `{"tool_calls":[{"id":"call_1","name":"getWeather","arguments":{"location":"Boston"},"signature":"c2lnMQ==... (4 bytes)"}]}
{"usage":{"PromptTokens":26,"CompletionTokens":23,"ReasoningTokens":0,"CachedTokens":0},"finish":"tool_calls"}
`,
	}, {
		name: "signed text and trailing signed empty text",
		script: `thought Counting letters.
text There are 3 r.
sig c2lnMQ==
text " In strawberry."
text ""
sig c2lnMg==
usage prompt=9 candidates=23 thoughts=302`,
		want: `{"reasoning":"Counting letters."}
{"text":"There are 3 r."}
{"text":" In strawberry."}
{"usage":{"PromptTokens":9,"CompletionTokens":325,"ReasoningTokens":302,"CachedTokens":0},"finish":"stop"}
`,
	}, {
		name: "code execution",
		script: `code PYTHON id=c1 "print(6 * 7)"
sig c2lnMQ==
+text ""
result OUTCOME_OK id=c1 "42\n"
text The answer is 42.
text ""
sig c2lnMg==
usage prompt=147 candidates=108 thoughts=168 tooluse=360`,
		// The code and its output reach the client as fenced text.
		want: `{"text":"\n` + "```" + `python\nprint(6 * 7)\n` + "```" + `\n"}
{"text":"\n` + "```" + `\n42\n` + "```" + `\n"}
{"text":"The answer is 42."}
{"usage":{"PromptTokens":147,"CompletionTokens":276,"ReasoningTokens":168,"CachedTokens":0},"finish":"stop"}
`,
	}, {
		name: "grounding and url context",
		script: `text Pydantic AI
urlcontext {"urlMetadata": [{"retrievedUrl": "https://ai.pydantic.dev", "urlRetrievalStatus": "URL_RETRIEVAL_STATUS_SUCCESS"}]}
text " Gateway is now available!"
grounding {"groundingChunks": [{"web": {"uri": "https://ai.pydantic.dev", "title": "Pydantic AI"}}], "webSearchQueries": ["pydantic"]}
finish STOP
usage prompt=32 candidates=25 thoughts=37 tooluse=4610`,
		want: `{"text":"Pydantic AI"}
{"text":" Gateway is now available!"}
{"usage":{"PromptTokens":32,"CompletionTokens":62,"ReasoningTokens":37,"CachedTokens":0},"finish":"stop"}
`,
	}, {
		name: "safety stop",
		script: `text Well,
finish SAFETY
content {}
safety HARM_CATEGORY_HATE_SPEECH LOW blocked
safety HARM_CATEGORY_HARASSMENT NEGLIGIBLE
usage prompt=14`,
		want: `{"text":"Well,"}
{"usage":{"PromptTokens":14,"CompletionTokens":0,"ReasoningTokens":0,"CachedTokens":0},"finish":"content_filter"}
`,
	}, {
		name: "out of tokens with no parts",
		script: `finish MAX_TOKENS
content role
usage prompt=15 thoughts=2`,
		want: `{"usage":{"PromptTokens":15,"CompletionTokens":2,"ReasoningTokens":2,"CachedTokens":0},"finish":"length"}
`,
	}, {
		name:   "Vertex usage with trafficType alone first",
		vertex: true,
		script: `text Hi
text " there"
finish STOP Done.
usage prompt=5 candidates=2 traffic=PROVISIONED_THROUGHPUT`,
		want: `{"text":"Hi"}
{"text":" there"}
{"usage":{"PromptTokens":5,"CompletionTokens":2,"ReasoningTokens":0,"CachedTokens":0},"finish":"stop"}
`,
	}, {
		name: "rate limited with RetryInfo",
		script: `error 429 RESOURCE_EXHAUSTED You exceeded your current quota.
detail {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests"}]}
detail info RATE_LIMIT_EXCEEDED googleapis.com service=generativelanguage.googleapis.com
detail retry 33.5s`,
		want: `llm.Error: status=429 RESOURCE_EXHAUSTED retry_after=34 message="You exceeded your current quota."
`,
	}, {
		name: "bad key with ErrorInfo and LocalizedMessage",
		script: `error 400 INVALID_ARGUMENT API key not valid. Please pass a valid API key.
detail info API_KEY_INVALID googleapis.com service=generativelanguage.googleapis.com
detail message en-US API key not valid. Please pass a valid API key.`,
		want: `llm.Error: status=400 INVALID_ARGUMENT retry_after=0 message="API key not valid. Please pass a valid API key."
`,
	}, {
		name: "overloaded mid-stream with RetryInfo",
		script: `text Hello
fail 503 UNAVAILABLE The model is overloaded.
detail retry 2s`,
		want: `{"text":"Hello"}
llm.Error: status=503 UNAVAILABLE retry_after=2 message="The model is overloaded."
`,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := fakegemini.ParseScenario(t.Name()+".txtar", []byte("-- 1 --\n"+tc.script+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			ts := fakegemini.NewTestServer(t, sc)
			b := &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: "test-key", HTTPClient: ts.HTTPClient(), HTTPOptions: genai.HTTPOptions{BaseURL: ts.URL}}
			if tc.vertex {
				b = &genai.ClientConfig{Backend: genai.BackendVertexAI, Project: "p", Location: "l", HTTPClient: ts.HTTPClient(), HTTPOptions: genai.HTTPOptions{BaseURL: ts.URL}}
			}
			deltas, err := collect(newProvider(t, b).Stream(context.Background(), &llm.Request{
				Model:    "gemini-test",
				Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: "hi"}}}},
				Options:  llm.Options{IncludeThoughts: true},
			}))
			got := renderDeltas(deltas, err)
			if got != tc.want {
				t.Errorf("deltas (-want +got):\n%s", lineDiff(tc.want, got))
			}
			checkDeltaInvariants(t, deltas, err)
		})
	}
}
