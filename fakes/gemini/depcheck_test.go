package fakegemini

import (
	"testing"

	"github.com/owulveryck/gomcptest/fakes/internal/depcheck"
)

// TestLightImports keeps the fake free of heavy dependencies: the host
// embeds it for the offline model, and it must not pull in genai (which it
// fakes) or anything beyond the standard library and txtar.
func TestLightImports(t *testing.T) {
	depcheck.Light(t, ".")
}
