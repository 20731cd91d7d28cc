package plantuml

import (
	"os"
	"testing"
)

// processor returns the local PlantUML or skips the test.
func processor(t *testing.T) *Processor {
	t.Helper()
	p := FindProcessor(os.Getenv)
	if p == nil {
		t.Skip("no local PlantUML: install Debian's plantuml package (.ci/run does) or set PLANTUML_JAR")
	}
	return p
}

func TestCheck(t *testing.T) {
	p := processor(t)
	tests := []struct {
		name, source string
		want         Verdict
	}{
		{"valid", "@startuml\nBob -> Alice : hello\n@enduml\n", Verdict{Valid: true, Type: "SEQUENCE"}},
		{"valid without @startuml", "class Car\nCar *-- Wheel\n", Verdict{Valid: true, Type: "CLASS"}},
		{"error", "@startuml\nA -> B\nfoo bar baz(\nB -> A\n@enduml\n", Verdict{Line: 3, Message: "Syntax Error?"}},
		{"error after blank lines", "\n\n' a comment\n@startuml\nA -> B\nfoo bar baz(\n@enduml\n", Verdict{Line: 6, Message: "Syntax Error?"}},
		{"error without @startuml", "A -> B\nfoo bar baz(\n", Verdict{Line: 2, Message: "Syntax Error?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Check(t.Context(), tt.source, "")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Check = %+v, want %+v", got, tt.want)
			}
		})
	}
}
