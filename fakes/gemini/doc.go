// Package fakegemini is a fake Vertex AI and Gemini API server for tests
// and for running gomcptest without Google credentials. It answers from a
// script, so a test can check how its code handles text, function calls,
// thought signatures and errors, without a network or credentials.
//
// The shortest use, in a test:
//
//	sc, err := fakegemini.ParseScenario("t.txtar", []byte("-- hi --\ntext Hello.\n"))
//	if err != nil {
//		t.Fatal(err)
//	}
//	ts := fakegemini.NewTestServer(t, sc)
//	client, err := genai.NewClient(t.Context(), &genai.ClientConfig{
//		Backend:     genai.BackendGeminiAPI,
//		APIKey:      "any key",
//		HTTPClient:  ts.HTTPClient(),
//		HTTPOptions: genai.HTTPOptions{BaseURL: ts.URL},
//	})
//
// NewTestServer fails the test, at once and saying why, on a request the
// scenario did not expect and on a request the fake refuses (see
// Strictness); when the test ends, it fails it on turns left unused.
// Options such as WithAPIKey go after the scenario, the same shape as
// fakeopenai.NewTestServer.
//
// A Server serves generateContent and streamGenerateContent on the paths
// the genai client builds, so the unmodified client reaches it through
// genai.ClientConfig{HTTPOptions: genai.HTTPOptions{BaseURL: url}}:
//
//	Vertex AI:  POST /v1beta1/projects/P/locations/L/publishers/google/models/M:generateContent
//	            POST /v1beta1/projects/P/locations/L/publishers/google/models/M:streamGenerateContent?alt=sse
//	            (also under /v1/, and without projects/P/locations/L/)
//	Gemini API: POST /v1beta/models/M:generateContent (also /v1/), key in x-goog-api-key
//
// Streamed answers are Server-Sent Events, one "data: " event per chunk,
// each a full GenerateContentResponse as the real services send it; an
// error after the stream started is an event {"error":{...}}, which genai
// returns as a genai.APIError. Errors have Google's body
// {"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}.
//
// # Strictness
//
// The server refuses, with 400 INVALID_ARGUMENT and a message that says
// where, what Vertex refuses, so that a test passes only if the real
// service would accept the request too:
//
//   - JSON fields unknown to the REST schema (every field genai sends is
//     known);
//   - empty contents, empty parts, and roles other than "user" and "model"
//     (the Gemini API also takes a missing role);
//   - a content with functionResponse parts that does not come right after
//     a model content with functionCall parts, a response that answers none
//     of those calls (matched by id when both have one, else by name), a
//     response whose call has another name, and a different number of
//     responses than calls;
//   - a functionCall part that the server issued with a thoughtSignature
//     coming back without it, or with another one (issued signatures are
//     remembered by call id and by name and arguments, so the check does not
//     depend on the order of requests);
//   - declared function names Vertex refuses, and duplicates;
//   - in a declaration's parameters (the OpenAPI subset), any key that
//     genai.Schema lacks, which refuses the JSON Schema keywords $schema,
//     $ref, $defs, definitions, additionalProperties, const,
//     exclusiveMinimum, exclusiveMaximum, oneOf, allOf and not; a type that
//     is not one of STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT, NULL;
//   - $schema anywhere in parametersJsonSchema, and parameters and
//     parametersJsonSchema set together.
//
// To test a client against a refusal, script it: a turn that holds only
// "expect refused CODE" is used up by the refusal instead of failing the
// test.
//
// # Responders
//
// What the model says comes from a Responder: a Script playing a Scenario,
// or Offline, the built-in offline model. New(r, opts) returns the
// http.Handler; Server.Client serves it in-process, without a socket, for
// a host that runs the offline model inside itself. NewTestResponder serves
// any Responder on 127.0.0.1 for a test.
//
// # The offline model
//
// Offline is a small deterministic agent for running without credentials.
// It reads the last user text as clauses (split at ";", at sentence ends,
// at "then", and at "and" before a verb) and answers each with the first
// intent it matches, calling the first of the listed tools the request
// declares (a declared "prefix_NAME" answers to NAME):
//
//	run/execute + `command` (else the rest of the prompt)  -> Bash {"command"}
//	sleep/pause/wait + N [ms|minutes]                       -> sleep {"seconds"}, else Bash
//	verify/check/confirm + exists/it/contains, on a path    -> LS of its folder, else View, GlobTool, Bash
//	or on the file written just before                         (View first when it asks about the text)
//	create/make a file, write/save + a path, with "TEXT"    -> Replace {"file_path", "content"}, else Edit, Bash
//	find/search + .EXT, "go files", named NAME, main.go     -> GlobTool {"pattern": "**/*.EXT", "path"}, else Bash
//	find + containing "TEXT" (or search for "TEXT")         -> GrepTool {"pattern", "include", "path"}, else Bash
//	list/ls/files + the current directory, or no path       -> LS {"path": working dir}, else Bash, else GlobTool
//	list/ls/files in + a path                               -> LS {"path"}, else Bash, else GlobTool
//	read/show/view/cat/open + a path                        -> View {"file_path"}, else Bash
//	a declared tool's name ("use get_weather for Paris")    -> that tool, arguments from its schema and the words
//
// Relative paths are resolved against the working directory the system
// instruction gives ("Working directory: /abs/path"). Clauses joined by
// "and" are called in one turn; "then" and a verification wait for the
// results. Results are quoted in fenced code blocks, whole up to 4 KB of
// whole lines. Mode NONE never calls; mode ANY always does, among
// allowedFunctionNames when given. Offline's documentation gives the
// details.
//
// # Scenario files
//
// A scenario is a txtar archive. The leading comment describes it; each
// section is one model turn, in order, answering one request; the section
// name labels the turn in messages. Inside a section, one directive per
// line; blank lines and lines starting with # are ignored:
//
//	text WORDS          a text chunk: the rest of the line, or a Go-quoted
//	                    string ("...") for leading spaces or newlines
//	thought WORDS       a thought chunk (thought: true)
//	call NAME [ARGS] [id=ID] [sig=BASE64|sig=auto] [stream|stream=always] [unterminated]
//	                    a function call chunk; ARGS is a JSON object;
//	                    sig=auto makes up a signature; stream streams the
//	                    arguments as Vertex does (see below)
//	code LANGUAGE [id=ID] CODE
//	                    an executableCode chunk (code execution tool)
//	result OUTCOME [id=ID] OUTPUT
//	                    a codeExecutionResult chunk, OUTCOME such as
//	                    OUTCOME_OK; CODE and OUTPUT may be Go-quoted
//	+text ... / +thought ... / +call ... / +code ... / +result ...
//	                    adds the part to the previous chunk instead (two
//	                    calls in one chunk are parallel calls sent together)
//	sig BASE64|auto     the thoughtSignature of the previous part: a text
//	                    part, or the trailing empty one of `text ""`
//	finish REASON [MESSAGE]
//	                    the finish reason (default STOP): MAX_TOKENS, SAFETY,
//	                    MALFORMED_FUNCTION_CALL, ...; MESSAGE is the
//	                    finishMessage
//	content {}|role|none
//	                    the finish comes in a last chunk without parts, its
//	                    content {} (SAFETY), {"role":"model"} (MAX_TOKENS
//	                    with nothing said) or left out (MODEL_ARMOR)
//	usage prompt=N candidates=N thoughts=N cached=N tooluse=N total=N traffic=TYPE
//	                    usage metadata (default: word counts; total is the
//	                    sum when left out); tooluse is
//	                    toolUsePromptTokenCount; traffic (Vertex's
//	                    ON_DEMAND, PROVISIONED_THROUGHPUT) makes the chunks
//	                    before the last carry {"trafficType":TYPE} alone
//	grounding JSON      the groundingMetadata of the previous chunk (before
//	                    any chunk: of the finishing one); the other chunks of
//	                    the turn then carry "groundingMetadata":{}
//	urlcontext JSON     the urlContextMetadata of the previous chunk (same
//	                    rule)
//	safety CATEGORY PROBABILITY [blocked]
//	                    adds a safetyRating to the previous chunk (same rule)
//	block REASON [MESSAGE]
//	                    the prompt is blocked: promptFeedback, no candidates
//	error CODE [STATUS] MESSAGE
//	                    answer with this HTTP error and nothing else
//	fail CODE [STATUS] MESSAGE
//	                    after the chunks, an error event ends the stream
//	                    (a non-streaming call gets the HTTP error)
//	detail retry DELAY | detail info REASON DOMAIN [KEY=VALUE...] |
//	detail message LOCALE TEXT | detail {JSON}
//	                    adds to the error or fail above a google.rpc detail:
//	                    RetryInfo (retryDelay, such as 34s), ErrorInfo (with
//	                    its metadata), LocalizedMessage, or any object with
//	                    an "@type"
//	cut                 after the chunks, the connection drops
//	version NAME        the modelVersion (default: the model in the URL)
//	expect text SUBSTR  the last user text must contain SUBSTR
//	expect response NAME
//	                    the last content must hold a functionResponse for NAME
//	expect tool NAME    a function NAME must be declared
//	expect system SUBSTR
//	                    the system instruction must contain SUBSTR
//	expect model NAME   the URL must name model NAME
//	expect refused CODE [SUBSTR]
//	                    the fake must refuse the request with HTTP CODE
//	                    (and a message containing SUBSTR); the turn holds
//	                    nothing else
//
// # Streamed function-call arguments
//
// Vertex streams the arguments of a call when the request sets
// toolConfig.functionCallingConfig.streamFunctionCallArguments (genai's
// FunctionCallingConfig.StreamFunctionCallArguments; the Gemini API refuses
// the field, and so does the fake). A call with stream is then sent as: an
// event {"functionCall":{"name":N,"willContinue":true}} with the signature;
// an event per value, in the order ARGS writes them, as partialArgs
// (jsonPath, then stringValue, numberValue, boolValue or nullValue; a
// string comes whole with willContinue, then closed by "stringValue":"");
// then an empty {"functionCall":{}}. With unterminated the empty call is
// left out and the last value's event lacks willContinue, as Vertex was
// seen to do. When the request did not ask, and in non-streaming answers,
// the call is sent whole; stream=always streams it anyway, for a client
// that must digest what Vertex may send.
//
// An unmet expectation answers HTTP 500 with a message naming the file and
// line of the turn (and fails the test under NewTestServer). Errors in the
// file name the file and line too.
//
// Example:
//
//	The model lists a folder, then reports.
//
//	-- 1: call LS --
//	expect text list
//	thought The user wants the files of /tmp.
//	call LS {"path": "/tmp"} id=call-1 sig=auto
//	-- 2: report --
//	expect response LS
//	text The folder holds
//	text " two files."
//	usage prompt=30 candidates=5
//	-- 3: overloaded --
//	error 429 RESOURCE_EXHAUSTED Resource exhausted. Please try again later.
//	detail retry 34s
//
// Each of the shapes recorded from the real services, one example each:
//
//	-- streamed arguments (Vertex, when asked) --
//	call getWeather {"location": "Boston"} sig=auto stream
//	-- streamed arguments without the closing empty call --
//	call writeItems {"operations": [{"action": "add", "price": 0.5}]} stream=always unterminated
//	text ""
//	-- signed text, then the trailing signed empty part --
//	text Let me check.
//	sig auto
//	text ""
//	sig auto
//	-- code execution --
//	code PYTHON id=c1 "print(6 * 7)"
//	sig auto
//	+text ""
//	result OUTCOME_OK id=c1 "42\n"
//	text The answer is 42.
//	usage prompt=46 candidates=51 thoughts=101 tooluse=360
//	-- grounded answer --
//	text Sunny in Paris.
//	urlcontext {"urlMetadata": [{"retrievedUrl": "https://example.com", "urlRetrievalStatus": "URL_RETRIEVAL_STATUS_SUCCESS"}]}
//	text " Around 20°C."
//	grounding {"webSearchQueries": ["weather paris"], "groundingChunks": [{"web": {"uri": "https://example.com", "title": "Weather"}}]}
//	-- Vertex usage: the first chunks carry only trafficType --
//	text Hi
//	text " there"
//	usage prompt=5 candidates=2 traffic=PROVISIONED_THROUGHPUT
//	-- safety stop --
//	finish SAFETY
//	content {}
//	safety HARM_CATEGORY_HATE_SPEECH LOW blocked
//	safety HARM_CATEGORY_HARASSMENT NEGLIGIBLE
//	-- out of tokens while thinking --
//	finish MAX_TOKENS
//	content role
//	usage prompt=15 thoughts=2
//	-- bad key --
//	error 400 INVALID_ARGUMENT API key not valid. Please pass a valid API key.
//	detail info API_KEY_INVALID googleapis.com service=generativelanguage.googleapis.com
//	detail message en-US API key not valid. Please pass a valid API key.
package fakegemini
