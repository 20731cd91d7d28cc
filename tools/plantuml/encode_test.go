package plantuml

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// Encodings written by PlantUML's own (Java) encoder: the example of
// plantuml.com/text-encoding and plantuml -encodeurl of version 1.2020.02.
var known = []struct{ encoded, source string }{
	{"SyfFKj2rKt3CoKnELR1Io4ZDoSa70000", "Bob -> Alice : hello"},
	{"Iyv9B2vMS4uiuW9Y1IrTNONmZDJK7000", "class Car\nCar *-- Wheel"},
	{"IqmkoIzI22rEBU824GgwTWeQFldfcNcQ0000", "actor User\nUser -> (Login)"},
}

func TestDecodeKnown(t *testing.T) {
	for _, k := range known {
		for _, in := range []string{k.encoded, "https://www.plantuml.com/plantuml/svg/" + k.encoded, "http://localhost:8080/png/" + k.encoded + "\n"} {
			got, err := Decode(in)
			if err != nil || got != k.source {
				t.Errorf("Decode(%q) = %q, %v; want %q", in, got, err, k.source)
			}
		}
	}
	if got, err := Decode("~h407374617274756d6c"); err != nil || got != "@startuml" {
		t.Errorf("Decode(~h...) = %q, %v; want @startuml", got, err)
	}
}

// TestEncode64Known checks PlantUML's base64 layer bit for bit.
func TestEncode64Known(t *testing.T) {
	tests := []struct {
		data []byte
		want string
	}{
		{[]byte{0, 0, 0}, "0000"},
		{[]byte{0xFF, 0xFF, 0xFF}, "____"},
		{[]byte{0xFB, 0xEF, 0xBE}, "-----"[:4]},
		{[]byte{0x00, 0x10, 0x83}, "0123"},
		{[]byte{0x10, 0x51, 0x87, 0x20, 0x92, 0x8B}, "4567" + "89AB"},
		{[]byte{0x01}, "0G00"}, // a short last group is padded with zero bytes
		{nil, ""},
	}
	for _, tt := range tests {
		got := encode64(tt.data)
		if got != tt.want {
			t.Errorf("encode64(% x) = %q, want %q", tt.data, got, tt.want)
		}
		back, err := decode64(got)
		if err != nil || !bytes.HasPrefix(back, tt.data) {
			t.Errorf("decode64(%q) = % x, %v; want % x", got, back, err, tt.data)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, src := range []string{
		"@startuml\nBob -> Alice : hello\n@enduml\n",
		"A -> B: héllo ✓ 你好",
		strings.Repeat("@startuml\nclass A\n@enduml\n", 500),
		"x",
	} {
		enc := Encode(src)
		if strings.Trim(enc, alphabet) != "" {
			t.Errorf("Encode(%q) = %q holds characters outside the alphabet", src[:min(20, len(src))], enc)
		}
		got, err := Decode(enc)
		if err != nil || got != src {
			t.Errorf("Decode(Encode(%q)) = %q, %v", src[:min(20, len(src))], got, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{"", "not base64!", "~1UDfp", "~hzz", "0000", "SyfF"} {
		if got, err := Decode(in); !errors.Is(err, ErrEncoding) {
			t.Errorf("Decode(%q) = %q, %v; want an ErrEncoding", in, got, err)
		}
	}
}

// TestEncodeReadByPlantUML checks that PlantUML itself decodes what Encode
// writes.
func TestEncodeReadByPlantUML(t *testing.T) {
	if _, err := exec.LookPath("plantuml"); err != nil {
		t.Skip("plantuml is not installed (apt-get install plantuml); the encoder is still checked against PlantUML's encodings above")
	}
	src := "Bob -> Alice : hello ✓\nAlice --> Bob : ok"
	out, err := exec.CommandContext(t.Context(), "plantuml", "-decodeurl", Encode(src)).CombinedOutput()
	if err != nil {
		t.Fatalf("plantuml -decodeurl: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), src) {
		t.Errorf("plantuml -decodeurl gave %q, want it to contain %q", out, src)
	}
}
