package fakegemini

import (
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
