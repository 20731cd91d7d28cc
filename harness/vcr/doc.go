// Package vcr records and replays the HTTP traffic of model clients (genai
// for Vertex AI and the Gemini API, go-openai for OpenAI-compatible
// services) as go-vcr v2 cassettes, so that tests recorded once against
// the real service run offline and without credentials from then on.
//
// A Recorder is the one seam: an http.RoundTripper given to the client as
// its HTTP client (backend.Config.HTTPClient, genai.ClientConfig.HTTPClient,
// openai.ClientConfig.HTTPClient). Handing genai an HTTP client also keeps
// it from looking for Application Default Credentials.
//
// # Modes
//
//	replay   (the default) answers from the cassette only. A request with no
//	         unused matching interaction is an error wrapping
//	         ErrNoInteraction that names the cassette and the request;
//	         NewTest fails the test with it, and with interactions left
//	         unused when the test ends.
//	record   sends each request through Options.Transport, which adds the
//	         credentials (GoogleTransport for Vertex AI), and writes the
//	         cassette, redacted, on Close. The recorder sits above the
//	         credentials, so they never reach it. Answers stream through as
//	         they arrive.
//	off      sends requests through Options.Transport; nothing is kept.
//
// Tests choose with ModeFromEnv: a -record test flag, or the environment
// variable GOMCPTEST_VCR=record|replay|off.
//
// # Matching
//
// A request matches a recorded one when the method, the normalised path
// and query (scheme and host ignored, project and location set to
// placeholders, credentials removed) and the body (redacted the same way;
// compared as JSON when it is JSON) are equal. Each interaction answers
// once, the first unused one that matches, so identical requests replay in
// recorded order. The answer is the recorded body, byte for byte: a
// streamed answer is the same Server-Sent Events frames.
//
// # Redaction
//
// Before anything is written: the values of Authorization, X-Goog-Api-Key,
// X-Goog-User-Project, Cookie and the like become REDACTED; key=,
// access_token= and api_key= query parameters become REDACTED;
// projects/P/locations/L in URLs and bodies becomes
// projects/PROJECT/locations/LOCATION and a regional host
// LOCATION-aiplatform.googleapis.com; OAuth tokens, refresh tokens, Google
// API keys, client secrets, JWTs, private keys and bearer values anywhere
// become REDACTED; Options.Secrets names more literal values (the project
// id, an API key) and their placeholders. Date-like response headers are
// dropped so that re-recording gives small diffs.
//
// A cassette file may start with # comment lines (Options.Header) that say
// where it was recorded; go-vcr and YAML ignore them.
package vcr
