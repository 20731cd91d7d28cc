package scenario

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// check is an expectation that the request is a given word.
type check string

func (c check) Check(req string) error {
	if req != string(c) {
		return errors.New("want " + string(c))
	}
	return nil
}

// lines is a StepParser that keeps each line as the turn, and "want W" as an
// expectation.
type lines struct{ st *Step[check, []string] }

func (p lines) Line(l string) error {
	if w, ok := strings.CutPrefix(l, "want "); ok {
		p.st.Expect = append(p.st.Expect, check(w))
		return nil
	}
	if l == "bad" {
		return errors.New("bad line")
	}
	*p.st.Turn = append(*p.st.Turn, l)
	return nil
}

func (p lines) Done() error {
	if len(*p.st.Turn) == 0 {
		return errors.New("empty")
	}
	return nil
}

func parse(text string) (*Scenario[check, []string], error) {
	return Parse("s.txtar", []byte(text), func(st *Step[check, []string]) StepParser { return lines{st} })
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"no turns", "a comment\n", "s.txtar:2: no turns: a scenario needs at least one -- section --"},
		{"bad line", "c\n-- 1 --\n\n# skipped\nbad\n", "s.txtar:5: bad line"},
		{"done", "-- 1 --\nx\n-- 2 --\n# only a comment\n", `s.txtar:3: turn "2": empty`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parse(tc.text); err == nil || err.Error() != tc.want {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestScript(t *testing.T) {
	sc, err := parse("About.\n-- one --\nwant hi\nHello\n-- two --\nBye\n-- three --\nLater\n")
	if err != nil {
		t.Fatal(err)
	}
	s := NewScript[string](sc)
	if got, err := s.Next("hi"); err != nil || !slices.Equal(*got, []string{"Hello"}) {
		t.Fatalf("first: %v, %v", got, err)
	}
	if want := []string{"s.txtar:5 (two)", "s.txtar:7 (three)"}; !slices.Equal(s.Unused(), want) {
		t.Errorf("Unused() = %q, want %q", s.Unused(), want)
	}
	if got, want := s.String(), "s.txtar: 1 of 3 turns used"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	sc2, _ := parse("-- one --\nwant hi\nHello\n")
	s2 := NewScript[string](sc2)
	if _, err := s2.Next("yo"); err == nil || err.Error() != "s.txtar:1 (one): want hi" {
		t.Errorf("missed expectation: %v", err)
	}
	if _, err := s2.Next("hi"); err == nil || err.Error() != "s.txtar: unexpected request 2: the scenario has only 1 turns" {
		t.Errorf("exhausted: %v", err)
	}
}

func TestRefuse(t *testing.T) {
	sc, err := parse("-- refused --\nwant refusal\nnothing\n-- answer --\nHello\n")
	if err != nil {
		t.Fatal(err)
	}
	s := NewScript[string](sc)
	foresees := func(expect []check) (bool, error) {
		if len(expect) == 0 || expect[0] != "refusal" {
			return false, nil
		}
		return true, errors.New("another refusal")
	}
	if ok, err := s.Refuse(foresees); !ok || err == nil || err.Error() != "s.txtar:1 (refused): another refusal" {
		t.Errorf("first refusal: %v, %v; want true and the step's error", ok, err)
	}
	if ok, err := s.Refuse(foresees); ok || err != nil {
		t.Errorf("second refusal: %v, %v; want the answer left for a request", ok, err)
	}
	if got, err := s.Next("hi"); err != nil || !slices.Equal(*got, []string{"Hello"}) {
		t.Errorf("next: %v, %v", got, err)
	}
	if ok, err := s.Refuse(foresees); ok || err != nil {
		t.Errorf("exhausted: %v, %v", ok, err)
	}
}
