// Package openaionly stands for a user's OpenAI-only test package: it
// imports the fake OpenAI server and vcr, nothing else of this module.
// deps_test.go counts what `go list -deps -test` builds for it; it is
// never run (testdata is outside ./...).
package openaionly

import (
	"testing"

	_ "github.com/owulveryck/gomcptest/fakes/openai"
	_ "github.com/owulveryck/gomcptest/harness/vcr"
)

func TestChat(t *testing.T) {}
