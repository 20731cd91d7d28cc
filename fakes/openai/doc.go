// Package fakeopenai is a fake OpenAI-compatible chat server for tests: it
// serves POST /v1/chat/completions (streamed as Server-Sent Events or not),
// GET /v1/models and GET /v1/models/{id}, in the shapes the OpenAI API uses,
// so an unmodified client (github.com/sashabaranov/go-openai, the openai
// SDKs) talks to it through its base URL, http://HOST:PORT/v1.
//
// # Strictness
//
// The server refuses, as OpenAI does and with OpenAI's error body
// {"error":{"message","type","param","code"}}:
//
//   - a missing or wrong "Authorization: Bearer KEY" header, with 401, when
//     Options.APIKey is set;
//   - a model it does not serve, with 404 model_not_found;
//   - JSON fields unknown to the request schema ("Unrecognized request
//     argument supplied"), an empty messages list, an unknown role, a
//     message without content where the role needs one, with 400.
//
// # Responders
//
// What the model says comes from a Responder: a Script playing a Scenario,
// or Echo, which repeats the last user message after an optional latency.
// NewTestServer starts a scenario on 127.0.0.1 and fails the test on a
// request the scenario did not expect and on turns left unused.
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
//	finish REASON       stop (default), length, tool_calls, content_filter
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
//
// An unmet expectation answers HTTP 500 with a message naming the file and
// line of the turn (and fails the test under NewTestServer).
//
// Example:
//
//	A summary, then a rate limit.
//
//	-- 1: summary --
//	expect text Summarise
//	delay 200ms
//	text The text says
//	text " hello."
//	usage prompt=12 completion=3
//	-- 2: busy --
//	error 429 Rate limit reached for requests
package fakeopenai
