package conform

import (
	"slices"
	"testing"
)

func TestBaselineJudge(t *testing.T) {
	rep := &Report{Results: []Result{
		{ID: "http-origin", Status: Fail},
		{ID: "tools-call", Status: Fail},
		{ID: "tools-list", Status: Pass},
	}}
	b := ParseBaseline("# known\nhttp-origin\ntools-list  # fixed since\n\nno-such-check\n")
	if want := (Baseline{"http-origin", "tools-list", "no-such-check"}); !slices.Equal(b, want) {
		t.Fatalf("ParseBaseline = %q, want %q", b, want)
	}
	failed, problems := b.Judge(rep)
	if !failed {
		t.Error("tools-call fails and is not in the baseline: want failed")
	}
	want := []string{"tools-list passes now: remove it from the baseline", `no check "no-such-check"`}
	if !slices.Equal(problems, want) {
		t.Errorf("problems = %q, want %q", problems, want)
	}
	if failed, _ := (Baseline{"http-origin", "tools-call"}).Judge(rep); failed {
		t.Error("every failure is in the baseline: want not failed")
	}
}
