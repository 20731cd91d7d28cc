package gemini

import (
	"testing"

	"github.com/owulveryck/gomcptest/host/llm"
)

func TestGeminiIDSurvivesClientRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		call llm.ToolCall
		want string
	}{
		{llm.ToolCall{ID: "x", ProviderID: "g1"}, "g1"},
		// A client echoes only the id: Gemini's own ids are used verbatim.
		{llm.ToolCall{ID: "8hd01vsf"}, "8hd01vsf"},
		// Ids the host made up are never sent to Gemini.
		{llm.ToolCall{ID: "call_ABCDEF"}, ""},
	} {
		if got := geminiID(&tc.call); got != tc.want {
			t.Errorf("geminiID(%+v) = %q, want %q", tc.call, got, tc.want)
		}
	}
}
