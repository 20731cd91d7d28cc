package replaytest

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The cassette-backed tests. Their assertions hold for the stand-in and
// for a real recording alike; in replay, the recorded requests also check
// what the host sent: a request that differs from the recorded one (a
// thought signature not sent back, a tool result out of order) finds no
// interaction and fails the test.
var cases = []cassetteCase{{
	name: "plain_answer",
	run: func(t testing.TB, url string) {
		a := chat(t, url, userText("Say hello in one short sentence.", false))
		require.Equal(t, http.StatusOK, a.status)
		assert.NotEmpty(t, a.content)
		assert.Equal(t, "stop", a.finish)
		assert.Positive(t, a.prompt)
	},
}, {
	name: "streamed_answer",
	run: func(t testing.TB, url string) {
		a := chat(t, url, userText("Count from 1 to 20, separated by spaces, with nothing else.", true))
		require.Equal(t, http.StatusOK, a.status)
		assert.Contains(t, a.content, "20")
		assert.Positive(t, a.deltas)
		assert.Equal(t, "stop", a.finish)
		assert.Positive(t, a.prompt)
		assert.True(t, a.done, "the stream ends with [DONE]")
	},
}, {
	name: "tool_call",
	run: func(t testing.TB, url string) {
		a := chat(t, url, userText("Use the sleep tool to sleep for 0.1 seconds, then say done.", true))
		require.Equal(t, http.StatusOK, a.status)
		require.Len(t, a.calls, 1)
		assert.True(t, strings.HasPrefix(a.calls[0], "sleep "), a.calls[0])
		require.Len(t, a.responses, 1)
		assert.Contains(t, a.responses[0], "Slept for")
		assert.NotEmpty(t, a.content)
		assert.Equal(t, "stop", a.finish)
	},
}, {
	name: "parallel_tool_calls",
	run: func(t testing.TB, url string) {
		a := chat(t, url, userText("Call the sleep tool twice in parallel, once for 0.1 seconds and once for 0.2 seconds, then say how long each nap was.", true))
		require.Equal(t, http.StatusOK, a.status)
		require.Len(t, a.calls, 2)
		require.Len(t, a.responses, 2)
		for _, r := range a.responses {
			assert.Contains(t, r, "Slept for")
		}
		assert.NotEmpty(t, a.content)
		assert.Equal(t, "stop", a.finish)
	},
}, {
	name: "multimodal",
	run: func(t testing.TB, url string) {
		a := chat(t, url, request([]any{
			map[string]any{"type": "text", "text": "What color is this image? Answer with one word."},
			map[string]any{"type": "image_url", "image_url": map[string]any{"url": redSquare(t)}},
		}, false))
		require.Equal(t, http.StatusOK, a.status)
		assert.Contains(t, strings.ToLower(a.content), "red")
	},
}, {
	name:        "safety_block",
	standinOnly: "Vertex AI blocks prompts by its own judgement; a real block needs a prompt it blocks, chosen by whoever records",
	run: func(t testing.TB, url string) {
		a := chat(t, url, userText("This prompt stands for one that Vertex AI blocks.", true))
		require.Equal(t, http.StatusOK, a.status)
		assert.Empty(t, a.content)
		assert.Equal(t, "content_filter", a.finish)
	},
}, {
	name:        "rate_limited",
	standinOnly: "a 429 cannot be provoked on demand",
	run: func(t testing.TB, url string) {
		a := chat(t, url, userText("Say hello.", false))
		assert.Equal(t, http.StatusTooManyRequests, a.status)
		assert.Equal(t, "rate_limit_error", a.errType)
	},
}}

func TestCassettes(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, host(t, t, cassettes, c))
		})
	}
}

// redSquare is a PNG data URL, the same bytes on every run.
func redSquare(t testing.TB) string {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{R: 220, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}
