package openaiapp_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/owulveryck/gomcptest/examples/openaiapp"
	fakeopenai "github.com/owulveryck/gomcptest/fakes/openai"
	"github.com/owulveryck/gomcptest/harness/vcr"
)

const scenario = `The model calls two tools at once, then answers with their results.

-- two calls --
expect tool weather
call weather {"city": "Paris"} id=call_paris
call weather {"city": "Tokyo"} id=call_tokyo
-- the answer --
expect tool_result call_paris sunny
expect tool_result call_tokyo rain
text Sunny in Paris, rain in Tokyo.
`

var weather = openaiapp.Tool{
	Name:       "weather",
	Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`),
	Run: func(args json.RawMessage) string {
		var in struct{ City string }
		json.Unmarshal(args, &in)
		return map[string]string{"Paris": "sunny", "Tokyo": "rain"}[in.City]
	},
}

func client(url string, hc *http.Client) *openai.Client {
	cfg := openai.DefaultConfig("sk-a-key-that-must-not-be-recorded")
	cfg.BaseURL, cfg.HTTPClient = url, hc
	return openai.NewClientWithConfig(cfg)
}

// The app's streamed, parallel tool round trip against the fake OpenAI
// API, which streams the calls as OpenAI does and checks both results.
func TestAsk(t *testing.T) {
	sc, err := fakeopenai.ParseScenario("weather.txtar", []byte(scenario))
	if err != nil {
		t.Fatal(err)
	}
	ts := fakeopenai.NewTestServer(t, sc)
	got, err := openaiapp.Ask(t.Context(), client(ts.URL, ts.HTTPClient()), "gpt-4o-mini", "Weather in Paris and Tokyo?", []openaiapp.Tool{weather})
	if err != nil {
		t.Fatal(err)
	}
	if got != "Sunny in Paris, rain in Tokyo." {
		t.Errorf("Ask = %q", got)
	}
}

// Recorded once (here against the fake, standing in for the real
// service), then replayed with the service gone; the key never reaches the
// cassette.
func TestAskRecordedThenReplayed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "weather.yaml")
	sc, err := fakeopenai.ParseScenario("weather.txtar", []byte(scenario))
	if err != nil {
		t.Fatal(err)
	}
	ts := fakeopenai.NewTestServer(t, sc)
	rec, err := vcr.New(file, &vcr.Options{Mode: vcr.Record, Transport: ts.HTTPClient().Transport})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openaiapp.Ask(t.Context(), client(ts.URL, rec.Client()), "gpt-4o-mini", "Weather in Paris and Tokyo?", []openaiapp.Tool{weather}); err != nil {
		t.Fatal(err)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	// Replay: no server answers at this address; the cassette does.
	play := vcr.NewTest(t, file, &vcr.Options{Mode: vcr.Replay})
	got, err := openaiapp.Ask(t.Context(), client("http://127.0.0.1:1/v1", play.Client()), "gpt-4o-mini", "Weather in Paris and Tokyo?", []openaiapp.Tool{weather})
	if err != nil {
		t.Fatal(err)
	}
	if got != "Sunny in Paris, rain in Tokyo." {
		t.Errorf("replayed Ask = %q", got)
	}
	if data, _ := filepathRead(file); strings.Contains(data, "sk-a-key") {
		t.Error("the API key reached the cassette")
	}
}

func filepathRead(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}
