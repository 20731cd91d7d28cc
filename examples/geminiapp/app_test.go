package geminiapp_test

import (
	"testing"

	"google.golang.org/genai"

	"github.com/owulveryck/gomcptest/examples/geminiapp"
	fakegemini "github.com/owulveryck/gomcptest/fakes/gemini"
)

// The app's whole tool round trip runs against the fake Gemini API: no
// network, no key. The fake checks what the real service would (the
// function response answers the call, the thought signature came back)
// and fails the test otherwise.
func TestWeather(t *testing.T) {
	sc, err := fakegemini.ParseScenario("weather.txtar", []byte(`
-- the model asks for the weather --
expect tool get_weather
call get_weather {"city": "Paris"} id=call-1 sig=auto
-- then answers with it --
expect response get_weather
text It is sunny in Paris.
`))
	if err != nil {
		t.Fatal(err)
	}
	ts := fakegemini.NewTestServer(t, sc)
	client, err := genai.NewClient(t.Context(), &genai.ClientConfig{
		Backend:     genai.BackendGeminiAPI,
		APIKey:      "any key",
		HTTPClient:  ts.HTTPClient(),
		HTTPOptions: genai.HTTPOptions{BaseURL: ts.URL},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := geminiapp.Weather(t.Context(), client, "Paris", func(string) string { return "sunny" })
	if err != nil {
		t.Fatal(err)
	}
	if got != "It is sunny in Paris." {
		t.Errorf("Weather = %q", got)
	}
}
