// Package fakeopenai is a fake OpenAI-compatible chat server for tests: it
// serves POST /v1/chat/completions (streamed as Server-Sent Events or not),
// GET /v1/models and GET /v1/models/{id}, in the shapes the OpenAI API uses,
// so an unmodified client (github.com/sashabaranov/go-openai, the openai
// SDKs) talks to it through its base URL, http://HOST:PORT/v1. It answers
// from a script, so a test can check how its code handles text, tool
// calls, latency and errors, without a network or a key.
//
// The shortest use, in a test:
//
//	sc, err := fakeopenai.ParseScenario("t.txtar", []byte("-- hi --\ntext Hello.\n"))
//	if err != nil {
//		t.Fatal(err)
//	}
//	ts := fakeopenai.NewTestServer(t, sc)
//	cfg := openai.DefaultConfig("any key")
//	cfg.BaseURL, cfg.HTTPClient = ts.URL, ts.HTTPClient()
//	// ... code under test with openai.NewClientWithConfig(cfg) ...
//
// NewTestServer fails the test, at once and saying why, on a request the
// scenario did not expect and on a request the fake refuses (see
// Strictness); when the test ends, it fails it on turns left unused.
// Options such as WithAPIKey and WithModels go after the scenario, the same
// shape as fakegemini.NewTestServer.
//
// # Strictness
//
// The server refuses, as OpenAI does and with OpenAI's error body
// {"error":{"message","type","param","code"}}:
//
//   - a missing or wrong "Authorization: Bearer KEY" header, with 401, when
//     an API key is set (WithAPIKey, Options.APIKey);
//   - a model it does not serve, with 404 model_not_found;
//   - JSON fields unknown to the request schema ("Unrecognized request
//     argument supplied"), an empty messages list, an unknown role, a
//     message without content where the role needs one, with 400;
//   - a tool message that answers no call of the assistant message before
//     it, and an assistant message with tool_calls whose calls are not all
//     answered by the tool messages right after it, with 400.
//
// To test a client against a refusal, script it: a turn that holds only
// "expect refused STATUS" is used up by the refusal instead of failing the
// test.
//
// # Responders
//
// What the model says comes from a Responder: a Script playing a Scenario,
// or Echo, which repeats the last user message after an optional latency.
// New returns the http.Handler for any Responder; NewTestResponder serves
// one on 127.0.0.1 for a test.
//
// # Scenario files
//
// A scenario is a txtar archive. The leading comment describes it; each
// section is one answer, in order, to one chat request; the section name
// labels the turn in messages. One directive per line; blank lines and
// lines starting with # are ignored:
//
//	text WORDS          a content chunk: the rest of the line, or a
//	                    Go-quoted string ("...") for spaces or newlines
//	call NAME [ARGS] [id=ID]
//	                    a tool call of function NAME; ARGS is a JSON object
//	                    (default {}), or a Go-quoted string sent as it is,
//	                    for arguments that are not JSON; ID defaults to
//	                    call_N, N the call's rank in the scenario. Several
//	                    call lines in a turn are parallel calls. Calls come
//	                    after the turn's text.
//	finish REASON       stop, length, tool_calls or content_filter (default
//	                    tool_calls when the turn calls, else stop)
//	usage prompt=N completion=N
//	                    the token usage (default: word counts)
//	model NAME          the model the answer names (default: the request's)
//	delay DURATION      wait this long before answering (Go duration); a
//	                    client that gives up ends the wait
//	error CODE MESSAGE  answer with this HTTP error and nothing else; the
//	                    type and code are OpenAI's for the status (429 adds
//	                    Retry-After: 1)
//	expect text SUBSTR  the last user message must contain SUBSTR
//	expect system SUBSTR
//	                    a system message must contain SUBSTR
//	expect model NAME   the request must name model NAME
//	expect stream       the request must be streamed
//	expect tool NAME    the request must offer function NAME in its tools
//	expect tool_result ID [SUBSTR]
//	                    after the last assistant message, a tool message
//	                    must answer call ID (and contain SUBSTR)
//	expect refused STATUS [SUBSTR]
//	                    the fake must refuse the request with HTTP STATUS
//	                    (and a message containing SUBSTR); the turn holds
//	                    nothing else
//
// An unmet expectation answers HTTP 500 with a message naming the file and
// line of the turn (and fails the test under NewTestServer). Errors in the
// file name the file and line too.
//
// # Tool calls on the wire
//
// Not streamed, a turn's calls are the message's tool_calls, each
// {id, type: "function", function: {name, arguments}}, with content null
// when the turn has no text. Streamed, the text deltas come first; then,
// for each call in turn, one delta {index, id, type: "function",
// function: {name, arguments: ""}} and deltas {index, function:
// {arguments}} carrying its arguments a few characters at a time; the last
// choice chunk has the finish_reason. A client rebuilds each call by
// index, concatenating the arguments.
//
// # Example
//
// Two parallel calls, then an answer once both results came back:
//
//	The model asks for the weather of two cities at once.
//
//	-- 1: two calls --
//	expect tool get_weather
//	call get_weather {"city": "Paris"} id=call_paris
//	call get_weather {"city": "Tokyo"} id=call_tokyo
//	-- 2: report --
//	expect tool_result call_paris sunny
//	expect tool_result call_tokyo
//	text Sunny in Paris,
//	text " rain in Tokyo."
//	usage prompt=12 completion=7
//	-- 3: busy --
//	error 429 Rate limit reached for requests
package fakeopenai
