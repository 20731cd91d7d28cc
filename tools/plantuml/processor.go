package plantuml

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// A Processor is a local PlantUML, run to check a diagram's syntax before
// its URL is handed out. The zero value is not usable; see [FindProcessor].
// A Processor is immutable and safe for concurrent use.
type Processor struct {
	argv []string
}

// debianJar is where Debian's plantuml package installs PlantUML.
const debianJar = "/usr/share/plantuml/plantuml.jar"

// FindProcessor returns the local PlantUML: the jar named by PLANTUML_JAR,
// else Debian's jar, both run with java; else a `plantuml` command in PATH
// that is not this very program (whose binary is also named plantuml); or
// nil when there is none.
func FindProcessor(getenv func(string) string) *Processor {
	jar := getenv("PLANTUML_JAR")
	if jar == "" {
		if _, err := os.Stat(debianJar); err == nil {
			jar = debianJar
		}
	}
	if jar != "" {
		if java, err := exec.LookPath("java"); err == nil {
			return &Processor{argv: []string{java, "-Djava.awt.headless=true", "-jar", jar}}
		}
		return nil
	}
	bin, err := exec.LookPath("plantuml")
	if err != nil || isSelf(bin) {
		return nil
	}
	return &Processor{argv: []string{bin}}
}

// isSelf reports whether bin is the running program.
func isSelf(bin string) bool {
	self, err := os.Executable()
	if err != nil {
		return false
	}
	a, errA := os.Stat(self)
	b, errB := os.Stat(bin)
	return errA == nil && errB == nil && os.SameFile(a, b)
}

// String returns the command line the processor runs.
func (p *Processor) String() string { return strings.Join(p.argv, " ") }

// A Verdict is what PlantUML says of a diagram.
type Verdict struct {
	Valid bool
	// Type is the diagram's kind when valid, as PlantUML names it
	// (SEQUENCE, CLASS, ACTIVITY, ...).
	Type string
	// Line is the 1-based line of the source where PlantUML found an
	// error, 0 if it gave none; Message is its message.
	Line    int
	Message string
}

// Check runs `plantuml -syntax` on source in dir (where !include looks for
// files; empty means the current directory). The error is about running
// PlantUML; a syntax error is a Verdict.
func (p *Processor) Check(ctx context.Context, source, dir string) (Verdict, error) {
	lines := strings.Split(source, "\n")
	// PlantUML numbers lines from the @start line, and wraps a source
	// that has none; doing either here keeps the mapping exact.
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "@start") {
			start = i
			break
		}
	}
	var input string
	shift := 0
	if start >= 0 {
		input, shift = strings.Join(lines[start:], "\n"), start+1
	} else {
		input, shift = "@startuml\n"+source+"\n@enduml\n", 0
	}
	cmd := exec.CommandContext(ctx, p.argv[0], append(p.argv[1:], "-syntax")...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(input)
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return Verdict{}, fmt.Errorf("running %s: %w", p, ctx.Err())
	}
	out := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	switch {
	case out[0] == "ERROR" && len(out) >= 2:
		v := Verdict{Message: strings.TrimSpace(strings.Join(out[2:], " "))}
		if n, err := strconv.Atoi(strings.TrimSpace(out[1])); err == nil {
			v.Line = max(n+shift, 1)
		}
		if v.Message == "" {
			v.Message = "Syntax Error"
		}
		return v, nil
	case runErr == nil && out[0] != "":
		return Verdict{Valid: true, Type: out[0]}, nil
	case runErr == nil:
		return Verdict{}, errors.New("PlantUML printed nothing")
	}
	return Verdict{}, fmt.Errorf("running %s: %w: %s", p, runErr, strings.TrimSpace(stderr.String()))
}
