package fakegemini

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseScenarioErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no turns", "just a comment\n", "s.txtar:2: no turns"},
		{"unknown directive", "comment\n-- 1 --\ntext hi\nsay hello\n", `s.txtar:4: unknown directive "say"`},
		{"bad args", "-- 1 --\ncall LS {\"path\": }\n", "s.txtar:2: call LS: arguments are not a JSON object"},
		{"bad option", "-- 1 --\ncall LS {} idx=3\n", `s.txtar:2: call LS: unexpected "idx=3"`},
		{"bad signature", "-- 1 --\ncall LS sig=***\n", "s.txtar:2: call LS: sig must be standard base64"},
		{"bad finish", "-- 1 --\nfinish stop\n", `s.txtar:2: finish wants a reason`},
		{"bad usage", "-- 1 --\nusage prompt=x\n", `s.txtar:2: usage: bad field "prompt=x"`},
		{"bad error code", "-- 1 --\nerror 200 OK\n", "s.txtar:2: error: want an HTTP error code"},
		{"join first", "-- 1 --\n+text hi\n", "s.txtar:2: + joins the previous chunk"},
		{"bad expectation", "-- 1 --\nexpect weather sunny\n", `s.txtar:2: unknown expectation "weather"`},
		{"bad quote", "-- 1 --\ntext \"open\n", "s.txtar:2: bad quoted text"},
		{"error with chunks", "-- 1 --\ntext hi\n-- 2 --\ntext hi\nerror 500 boom\n", `s.txtar:3: turn "2": error answers before any chunk`},
		{"fail and cut", "-- 1 --\nfail 500 x\ncut\n", "s.txtar:1: turn \"1\": fail and cut"},
		{"join a streamed call", "-- 1 --\ncall LS {\"path\": \"/\"} stream\n+call LS {}\n", "s.txtar:3: + cannot join a call that streams"},
		{"streamed call joins", "-- 1 --\ntext hi\n+call LS {} stream\n", "s.txtar:3: a call that streams its arguments is a chunk of its own"},
		{"empty streamed value", "-- 1 --\ncall LS {\"a\": []} stream\n", "s.txtar:2: call LS: streamed arguments: $.a is empty"},
		{"unterminated alone", "-- 1 --\ncall LS unterminated\n", "s.txtar:2: call LS: unterminated applies to a call with stream"},
		{"sig first", "-- 1 --\nsig auto\n", "s.txtar:2: sig signs the previous part"},
		{"bad sig", "-- 1 --\ntext hi\nsig ***\n", "s.txtar:3: sig must be standard base64"},
		{"bad code", "-- 1 --\ncode python print(1)\n", "s.txtar:2: code wants a language"},
		{"bad result", "-- 1 --\nresult ok 1\n", "s.txtar:2: result wants an outcome"},
		{"bad grounding", "-- 1 --\ngrounding [1]\n", "s.txtar:2: grounding wants a JSON object"},
		{"bad safety", "-- 1 --\nsafety HARM_CATEGORY_HATE_SPEECH LOW yes\n", "s.txtar:2: safety wants CATEGORY PROBABILITY [blocked]"},
		{"bad content", "-- 1 --\ncontent empty\n", "s.txtar:2: content wants {}, role or none"},
		{"content with error", "-- 1 --\nerror 500 x\ncontent {}\n", `s.txtar:1: turn "1": content shapes the finish`},
		{"detail alone", "-- 1 --\ndetail retry 3s\n", "s.txtar:2: detail adds to an error or fail line"},
		{"bad retry", "-- 1 --\nerror 429 x\ndetail retry 1m\n", "s.txtar:3: detail: retry wants a delay in seconds"},
		{"bad info", "-- 1 --\nerror 429 x\ndetail info x\n", "s.txtar:3: detail: info wants REASON DOMAIN"},
		{"detail without type", "-- 1 --\nerror 429 x\ndetail {\"a\": 1}\n", `s.txtar:3: detail: a detail needs an "@type"`},
		{"unknown detail", "-- 1 --\nfail 429 x\ndetail quota 3\n", `s.txtar:3: detail: unknown detail "quota"`},
		{"bad traffic", "-- 1 --\nusage traffic=x\n", `s.txtar:2: usage: bad field "traffic=x"`},
		{"refused with more", "-- 1 --\nexpect refused 400\ntext hi\n", `s.txtar:1: turn "1": expect refused stands alone`},
		{"refused without a code", "-- 1 --\nexpect refused INVALID_ARGUMENT\n", "s.txtar:2: expect refused wants an HTTP error code"},
		{"line after comment", "line 1\nline 2\n-- 1 --\ntext ok\n-- 2 --\n\n# c\nbogus\n", `s.txtar:8: unknown directive "bogus"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseScenario("s.txtar", []byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestParseScenario(t *testing.T) {
	sc, err := ParseScenario("s.txtar", []byte(`About it.
-- first --
expect text hi
thought "  indented\nthought"
text Hello
+call LS {"path": "/a b"} id=x sig=c2ln
usage prompt=1 candidates=2
finish MAX_TOKENS Too long.
version gemini-test
-- second --
error 429 Resource exhausted.
-- third --
fail 500 API key lost
block SAFETY
`))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Comment != "About it.\n" || len(sc.Steps) != 3 {
		t.Fatalf("comment %q, %d steps", sc.Comment, len(sc.Steps))
	}
	st := sc.Steps[0]
	tr := st.Turn
	if st.Label != "first" || st.Line != 2 || len(st.Expect) != 1 || st.Expect[0].String() != "expect text hi" {
		t.Errorf("step = %+v", st)
	}
	if len(tr.Chunks) != 2 || tr.Chunks[0].Parts[0].Text != "  indented\nthought" || !tr.Chunks[0].Parts[0].Thought ||
		len(tr.Chunks[1].Parts) != 2 || tr.Chunks[1].Parts[1].FunctionCall.Args["path"] != "/a b" ||
		tr.Chunks[1].Parts[1].FunctionCall.ID != "x" || tr.Chunks[1].Parts[1].ThoughtSignature != "c2ln" {
		t.Errorf("chunks = %+v", tr.Chunks)
	}
	if tr.Usage.PromptTokenCount != 1 || tr.Usage.CandidatesTokenCount != 2 || tr.FinishReason != "MAX_TOKENS" || tr.FinishMessage != "Too long." || tr.ModelVersion != "gemini-test" {
		t.Errorf("turn = %+v", tr)
	}
	if e := sc.Steps[1].Turn.Err; e.Code != 429 || e.Status != "RESOURCE_EXHAUSTED" || e.Message != "Resource exhausted." {
		t.Errorf("error = %+v", e)
	}
	// "API" is not a status: the message is kept whole.
	if e := sc.Steps[2].Turn.Fail; e.Status != "INTERNAL" || e.Message != "API key lost" {
		t.Errorf("fail = %+v", e)
	}
}

func TestLedgerForgetsOldest(t *testing.T) {
	l := newLedger(2)
	a := &FunctionCall{Name: "a"}
	l.issue(a, "s1")
	l.issue(&FunctionCall{Name: "b"}, "s2")
	l.issue(&FunctionCall{Name: "c", Args: map[string]any{"x": 1.0}}, "s3")
	if got := l.expected(a); got != nil {
		t.Errorf("a: got %v, want forgotten", got)
	}
	if got := l.expected(&FunctionCall{Name: "c", Args: map[string]any{"x": 1.0}}); len(got) != 1 || got[0] != "s3" {
		t.Errorf("c: got %v", got)
	}
}

func TestParseShapeDirectives(t *testing.T) {
	sc, err := ParseScenario("s.txtar", []byte(`-- shapes --
call W {"q": {"city": "Paris", "n": 2, "ok": true, "x": null, "tags": ["a"], "odd key": 1}} id=w1 sig=c2ln stream=always unterminated
code PYTHON id=c1 "print(1)\n"
+result OUTCOME_OK id=c1 1
text Hi
sig auto
grounding {"webSearchQueries": ["w"]}
urlcontext {"urlMetadata": []}
safety HARM_CATEGORY_HATE_SPEECH LOW blocked
usage prompt=1 tooluse=7 traffic=ON_DEMAND
finish SAFETY
content role
-- error --
error 429 Quota exceeded.
detail retry 34s
detail info RATE_LIMIT_EXCEEDED googleapis.com service=aiplatform.googleapis.com
detail message en-US "Try later."
detail {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []}
`))
	if err != nil {
		t.Fatal(err)
	}
	tr := sc.Steps[0].Turn
	if len(tr.Chunks) != 3 {
		t.Fatalf("%d chunks, want 3", len(tr.Chunks))
	}
	call := tr.Chunks[0]
	if call.Stream == nil || !call.Stream.Always || !call.Stream.Unterminated || call.Parts[0].FunctionCall.ID != "w1" || call.Parts[0].ThoughtSignature != "c2ln" {
		t.Errorf("streamed call = %+v %+v", call.Parts[0], call.Stream)
	}
	b, _ := json.Marshal(call.Stream.Args)
	wantArgs := `[{"jsonPath":"$.q.city","stringValue":"Paris"},{"jsonPath":"$.q.n","numberValue":2},{"jsonPath":"$.q.ok","boolValue":true},{"jsonPath":"$.q.x","nullValue":"NULL_VALUE"},{"jsonPath":"$.q.tags[0]","stringValue":"a"},{"jsonPath":"$.q['odd key']","numberValue":1}]`
	if string(b) != wantArgs {
		t.Errorf("streamed args\n got %s\nwant %s", b, wantArgs)
	}
	b, _ = json.Marshal(tr.Chunks[1].Parts)
	if want := `[{"executableCode":{"language":"PYTHON","code":"print(1)\n","id":"c1"}},{"codeExecutionResult":{"outcome":"OUTCOME_OK","output":"1","id":"c1"}}]`; string(b) != want {
		t.Errorf("code parts\n got %s\nwant %s", b, want)
	}
	text := tr.Chunks[2]
	if text.Parts[0].ThoughtSignature == "" || string(text.Metadata.GroundingMetadata) != `{"webSearchQueries": ["w"]}` ||
		string(text.Metadata.URLContextMetadata) != `{"urlMetadata": []}` || len(text.Metadata.SafetyRatings) != 1 || !text.Metadata.SafetyRatings[0].Blocked {
		t.Errorf("text chunk = %+v %+v", text.Parts[0], text.Metadata)
	}
	if tr.Usage.ToolUsePromptTokenCount != 7 || tr.Usage.TrafficType != "ON_DEMAND" || tr.FinishContent != "role" {
		t.Errorf("turn = %+v usage %+v", tr, tr.Usage)
	}
	b, _ = json.Marshal(sc.Steps[1].Turn.Err)
	want := `{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED","details":[` +
		`{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"34s"},` +
		`{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"service":"aiplatform.googleapis.com"}},` +
		`{"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en-US","message":"Try later."},` +
		`{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]}]}`
	if string(b) != want {
		t.Errorf("error\n got %s\nwant %s", b, want)
	}
}

func TestEmptyTextPartShape(t *testing.T) {
	for _, tc := range []struct {
		part *Part
		want string
	}{
		{&Part{}, `{"text":""}`},
		{&Part{ThoughtSignature: "c2ln"}, `{"text":"","thoughtSignature":"c2ln"}`},
		{&Part{Text: "a"}, `{"text":"a"}`},
		{&Part{FunctionCall: &FunctionCall{}}, `{"functionCall":{}}`},
		{&Part{ExecutableCode: []byte(`{"code":"x"}`)}, `{"executableCode":{"code":"x"}}`},
	} {
		if b, err := json.Marshal(tc.part); err != nil || string(b) != tc.want {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", tc.part, b, err, tc.want)
		}
	}
}
