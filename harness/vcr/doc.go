// Package vcr records the HTTP traffic of a model client (an OpenAI
// client, genai for Vertex AI and the Gemini API, any client that takes an
// *http.Client) once against the real service, and replays it in tests
// from then on: offline, without credentials, byte for byte. Recordings
// are go-vcr v2 cassettes (YAML files), with secrets redacted before
// anything is written.
//
// The shortest use gives a test an HTTP client on a cassette:
//
//	func TestChat(t *testing.T) {
//		cfg := openai.DefaultConfig(os.Getenv("OPENAI_API_KEY"))
//		cfg.HTTPClient = vcr.HTTPClient(t, "testdata/chat.yaml", nil)
//		client := openai.NewClientWithConfig(cfg)
//		// ... use client as the code under test does
//	}
//
// Record the cassette once with the real service and a real key:
//
//	GOMCPTEST_VCR=record go test -run TestChat
//
// then commit testdata/chat.yaml; plain go test replays it. A Recorder is
// an http.RoundTripper: the seam is the client's HTTP client
// (openai.ClientConfig.HTTPClient, genai.ClientConfig.HTTPClient). For
// genai, package vcrgoogle builds the client and, when recording Vertex
// AI, adds Application Default Credentials; vcr itself imports none of
// Google's libraries.
//
// # Modes
//
//	replay          (the default) answers from the cassette only. A request
//	                with no unused matching interaction is an error wrapping
//	                ErrNoInteraction that names the cassette, the request
//	                and the nearest recorded interaction (its index in the
//	                cassette's interactions list and its line); NewTest
//	                fails the test with it, and with interactions left
//	                unused when the test ends.
//	record          sends each request through Options.Transport and writes
//	                a new cassette, redacted, on Close. Answers stream
//	                through as they arrive.
//	record-missing  replays what the cassette holds and records what it
//	                lacks, to grow a cassette when a test gains a request;
//	                the file is rewritten only if something was recorded.
//	off             sends requests through Options.Transport; nothing is
//	                kept.
//
// Credentials belong below the recorder: either the client adds them
// (go-openai's Authorization header, genai's API key), and redaction
// removes them, or Options.Transport does (vcrgoogle.Transport for Vertex
// AI), and the recorder never sees them.
//
// # Choosing the mode
//
// NewTest and HTTPClient take the mode from Options.Mode when it is set,
// and otherwise from the environment of the test run (ModeFromEnv):
//
//   - the -record test flag, if the test binary has one: go test -record
//     is Record;
//   - else GOMCPTEST_VCR=replay|record|record-missing|off;
//   - else Replay.
//
// GOMCPTEST_VCR is the primary switch: it needs no code, and it reaches
// every package of a go test ./... run, where -record is refused by the
// test binaries that do not define it. vcr registers no flag by itself: a
// flag defined on import would be package state, and would clash (a panic
// at start) with a test package's own -record flag. A test package that
// wants the flag calls RegisterFlags(flag.CommandLine) from an init
// function or TestMain; NewTest looks the flag up by name on
// flag.CommandLine, so a test's own boolean -record flag serves as well.
// New reads no environment: its mode is Options.Mode.
//
// # Matching
//
// A request matches a recorded one when the method, the path and query
// (scheme and host ignored, Vertex AI project and location replaced by
// placeholders, credentials removed) and the body (redacted the same
// way; compared as JSON when it is JSON) are equal: DefaultMatcher.
// Options.Matcher replaces it, for instance to leave out a field that
// changes on every run. Each interaction answers once, the first unused
// one that matches, so identical requests replay in recorded order. The
// answer is the recorded body, byte for byte: a streamed answer is the
// same Server-Sent Events frames.
//
// # Redaction
//
// Before anything is written: the values of Authorization, X-Goog-Api-Key,
// X-Goog-User-Project, Cookie and the like become REDACTED; key=,
// access_token= and api_key= query parameters become REDACTED;
// projects/P/locations/L in URLs and bodies becomes
// projects/PROJECT/locations/LOCATION and a regional host
// LOCATION-aiplatform.googleapis.com; OAuth tokens, refresh tokens, Google
// API keys, OpenAI-style keys, client secrets, JWTs, private keys and
// bearer values anywhere become REDACTED; Options.Secrets names more
// literal values and their placeholders, and Options.BeforeSave edits each
// recorded interaction last. Date-like response headers are dropped so
// that recording again gives small diffs.
//
// A cassette file may start with # comment lines (Options.Header) that
// say where it was recorded; go-vcr and YAML ignore them.
//
// # Programs
//
// A program that cannot be handed an HTTP client replays through Handler,
// an HTTP server answering from a cassette: point the program's base URL
// at it.
package vcr
