// Package scenario holds what the scripted fakes share: a scenario is a
// txtar archive whose sections are the steps of a script, in order, and a
// Script plays those steps one request at a time.
//
// The package knows the layout only: sections, line numbers, blank lines,
// # comments and Go-quoted text. Each fake parses its own directives into
// its own turn and expectation types, E and T, through a StepParser.
package scenario

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// A Scenario is a script of steps read from a txtar file, one step per
// section. It is immutable once parsed.
type Scenario[E, T any] struct {
	Name    string // file name, used in messages
	Comment string // the archive's leading comment
	Steps   []*Step[E, T]
}

// A Step is one scripted turn with the expectations on the request it
// answers.
type Step[E, T any] struct {
	Label  string // section name
	Line   int    // line of the section marker
	Expect []E
	Turn   *T
}

// where names st in messages: "file:line (label)".
func (st *Step[E, T]) where(name string) string {
	return fmt.Sprintf("%s:%d (%s)", name, st.Line, st.Label)
}

// A StepParser reads the lines of one section into its step.
type StepParser interface {
	// Line parses one line, trimmed of white space. Blank lines and
	// # comments never reach it.
	Line(l string) error
	// Done checks the step once its last line is parsed.
	Done() error
}

// Parse splits data into steps, each with a new T, and has the StepParser
// that newParser returns for each step read the section's lines. name is
// used in error messages, which have the form "name:line: message"; the
// errors of Done name the step as well: "name:line: turn "label": message".
func Parse[E, T any](name string, data []byte, newParser func(st *Step[E, T]) StepParser) (*Scenario[E, T], error) {
	ar := txtar.Parse(data)
	sc := &Scenario[E, T]{Name: name, Comment: string(ar.Comment)}
	line := 1 + bytes.Count(ar.Comment, []byte("\n"))
	for _, f := range ar.Files {
		st := &Step[E, T]{Label: f.Name, Line: line, Turn: new(T)}
		p := newParser(st)
		for i, l := range strings.Split(strings.TrimSuffix(string(f.Data), "\n"), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			if err := p.Line(l); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, line+1+i, err)
			}
		}
		if err := p.Done(); err != nil {
			return nil, fmt.Errorf("%s:%d: turn %q: %v", name, line, f.Name, err)
		}
		sc.Steps = append(sc.Steps, st)
		line += 1 + bytes.Count(f.Data, []byte("\n"))
	}
	if len(sc.Steps) == 0 {
		return nil, fmt.Errorf("%s:%d: no turns: a scenario needs at least one -- section --", name, line)
	}
	return sc, nil
}

// Load reads file and parses it with parse, which is given the file name
// for its messages.
func Load[S any](file string, parse func(name string, data []byte) (S, error)) (S, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		var zero S
		return zero, fmt.Errorf("reading scenario: %w", err)
	}
	return parse(file, data)
}

// Text returns a directive's text argument: arg itself, or the string it
// quotes when it starts with a double quote, for text with leading spaces
// or newlines.
func Text(arg string) (string, error) {
	if !strings.HasPrefix(arg, `"`) {
		return arg, nil
	}
	s, err := strconv.Unquote(arg)
	if err != nil {
		return "", fmt.Errorf("bad quoted text %s: %v", arg, err)
	}
	return s, nil
}
