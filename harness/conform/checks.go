package conform

const spec = "https://modelcontextprotocol.io/specification/2025-11-25/"

// checks is every check, in the order they run. Checks that open their
// own connections come first; stdio-purity is last so that it sees the
// output of every connection the run opened.
func checks() []check {
	return []check{
		// Lifecycle.

		// "The server MUST respond with its own capabilities and
		// information" and "If the server supports the requested protocol
		// version, it MUST respond with the same version."
		{"lifecycle-initialize", "initialize answers each revision, echoing the ones it supports", Must, spec + "basic/lifecycle#initialization", nil, "", checkInitialize},
		// "Otherwise, the server MUST respond with another protocol
		// version it supports."
		{"lifecycle-version-negotiation", "an unknown revision is answered with one the server supports", Must, spec + "basic/lifecycle#version-negotiation", nil, "", checkVersionNegotiation},
		{"lifecycle-version-accepted", "a revision answered in place of another is echoed when asked for", Must, spec + "basic/lifecycle#version-negotiation", nil, "", checkVersionAccepted},
		// 2026-07-28, basic/versioning: "Servers MUST implement
		// server/discover." It applies to servers that claim 2026-07-28.
		{"lifecycle-discover", "server/discover describes a stateless server", Must, "https://modelcontextprotocol.io/specification/2026-07-28/server/discover", nil, "", checkDiscover},
		// "The client SHOULD NOT send requests other than pings before the
		// server has responded to the initialize request": a rule of the
		// client's, so what the server does is only reported.
		{"lifecycle-before-initialize", "a request before initialize gets an error", Info, spec + "basic/lifecycle#initialization", nil, "", checkBeforeInitialize},
		// "The receiver MUST respond promptly with an empty response."
		{"lifecycle-ping", "ping gets an empty result", Must, spec + "basic/utilities/ping", nil, "", checkPing},
		// "Servers that support tools MUST declare the tools capability"
		// (and so for resources and prompts): a declared capability is a
		// claim of support, which its list method must honour.
		{"lifecycle-capabilities", "every advertised capability works", Must, spec + "basic/lifecycle#capability-negotiation", nil, "", checkCapabilities},
		{"lifecycle-server-info", "serverInfo's title, description and websiteUrl are well-formed", Must, spec + "basic/lifecycle#initialization", []string{rev20250618, rev20251125}, "", checkServerInfo},
		// No rule of the server's: "the client SHOULD initiate shutdown by
		// first, closing the input stream to the child process (the
		// server); waiting for the server to exit, or sending SIGTERM".
		{"lifecycle-stdin-close", "the server exits when its stdin closes", Info, spec + "basic/lifecycle#stdio", nil, "stdio", checkStdinClose},

		// JSON-RPC.

		// "Result responses MUST include the same ID as the request they
		// correspond to."
		{"jsonrpc-ids", "answers echo the request id, never null", Must, spec + "basic#responses", nil, "", checkIDs},
		// JSON-RPC 2.0 lists -32700 for invalid JSON but with no MUST, and
		// on stdio "The client MUST NOT write anything to the server's
		// stdin that is not a valid MCP message".
		{"jsonrpc-parse-error", "malformed JSON gets -32700 and the connection survives", Should, "https://www.jsonrpc.org/specification#error_object", nil, "", checkParseError},
		// JSON-RPC 2.0: "When a rpc call is made, the Server MUST reply with
		// a Response"; the codes of its table (-32601) carry no MUST, so a
		// result or another code is a SHOULD finding.
		{"jsonrpc-method-not-found", "an unknown method gets an answer, error -32601", Must, "https://www.jsonrpc.org/specification#error_object", nil, "", checkMethodNotFound},
		// As above, for -32602 "Invalid method parameter(s)".
		{"jsonrpc-invalid-params", "invalid params get an answer, error -32602", Must, "https://www.jsonrpc.org/specification#error_object", nil, "", checkInvalidParams},
		// 2025-03-26: "MCP implementations MAY support sending JSON-RPC
		// batches, but MUST support receiving JSON-RPC batches." 2024-11-05
		// has only JSON-RPC's "the Server should respond with an Array".
		{"jsonrpc-batch", "a batch gets a batch of answers", Must, "https://modelcontextprotocol.io/specification/2025-03-26/basic#batching", []string{rev20241105, rev20250326}, "", checkBatch},
		// 2025-06-18 changelog: "Remove support for JSON-RPC batching".
		// No rule says how a server meets one, so it is only reported.
		{"jsonrpc-batch-refused", "a batch, which the revision removed, gets an error", Info, "https://modelcontextprotocol.io/specification/2025-06-18/changelog", []string{rev20250618, rev20251125}, "", checkBatchRefused},
		// "The receiver MUST NOT send a response."
		{"jsonrpc-notification", "a notification gets no answer", Must, spec + "basic#notifications", nil, "", checkNotification},
		// JSON-RPC 2.0: "the Server MUST reply with a Response", each
		// request "MUST include the same ID".
		{"jsonrpc-concurrent", "concurrent requests are each answered once", Must, spec + "basic#requests", nil, "", checkConcurrent},

		// Tools.

		// The schema's ListToolsResult: tools: Tool[], each with a name;
		// "Tool names SHOULD be unique within a server" is a SHOULD finding.
		{"tools-list", "tools/list pages end, and every tool has a name", Must, spec + "server/tools#listing-tools", nil, "", checkToolsList},
		// "Invalid cursors SHOULD result in an error with code -32602
		// (Invalid params)."
		{"tools-list-cursor", "a garbage cursor gets -32602", Should, spec + "server/utilities/pagination#error-handling", nil, "", checkToolsCursor},
		// SEP-986, from 2025-11-25 on: "The following SHOULD be the only
		// allowed characters: uppercase and lowercase ASCII letters (A-Z,
		// a-z), digits (0-9), underscore (_), hyphen (-), and dot (.)".
		{"tools-names", "tool names are 1-128 of A-Z a-z 0-9 _ - .", Should, spec + "server/tools#tool-names", []string{rev20251125, revStateless}, "", checkToolNames},
		// inputSchema "MUST be a valid JSON Schema object (not null)", and
		// the schema gives it type: "object".
		{"tools-input-schema", "every inputSchema is a valid JSON Schema of type object", Must, spec + "server/tools#tool", nil, "", checkInputSchema},
		// "Schemas MUST be valid according to their declared or default
		// dialect" (basic#json-schema-usage); the schema gives
		// outputSchema type: "object".
		{"tools-output-schema", "every outputSchema is a valid JSON Schema of type object", Must, spec + "server/tools#output-schema", nil, "", checkOutputSchema},
		{"tools-schema-dialect", "schemas without $schema are valid JSON Schema 2020-12", Must, spec + "basic#json-schema-usage", []string{rev20251125, revStateless}, "", checkSchemaDialect},
		// The schema's ToolAnnotations, "the source of truth for all
		// protocol messages and structures".
		{"tools-annotations", "tool annotations are well-formed", Must, spec + "server/tools#tool", nil, "", checkToolAnnotations},
		// JSON-RPC 2.0: "the Server MUST reply with a Response"; "Protocol
		// Errors: Standard JSON-RPC errors for issues like: Unknown tools"
		// is said without a MUST, so an isError result is a SHOULD finding.
		{"tools-unknown", "calling an unknown tool is answered, with a protocol error", Must, spec + "server/tools#error-handling", nil, "", checkUnknownTool},
		// "Servers MUST: Validate all tool inputs" (security
		// considerations); input validation errors are "Reported in tool
		// results with isError: true".
		{"tools-invalid-arguments", "arguments that break the inputSchema are refused", Must, spec + "server/tools#error-handling", nil, "", checkInvalidArguments},
		// The schema's CallToolResult: content: ContentBlock[] is required.
		{"tools-call", "tools called with valid arguments give well-formed results", Must, spec + "server/tools#tool-result", nil, "", checkToolCalls},
		// "Servers MUST provide structured results that conform to this
		// schema."
		{"tools-structured-content", "structuredContent validates against the outputSchema", Must, spec + "server/tools#structured-content", nil, "", checkStructuredContent},
		{"tools-structured-paths", "structuredContent validates for every argument set tried", Must, spec + "server/tools#output-schema", nil, "", checkStructuredPaths},
		// "For backwards compatibility, a tool that returns structured
		// content SHOULD also return the serialized JSON in a TextContent
		// block."
		{"tools-structured-text", "structuredContent is mirrored as text", Should, spec + "server/tools#structured-content", nil, "", checkStructuredText},
		// JSON-RPC 2.0: "the Server MUST reply with a Response".
		{"tools-concurrent-calls", "concurrent tool calls are each answered", Must, spec + "basic#requests", nil, "", checkConcurrentCalls},
		// "The progress value MUST increase with each notification, even
		// if the total is unknown."
		{"tools-progress", "progress notifications increase", Must, spec + "basic/utilities/progress", nil, "", checkProgress},
		// "Receivers of cancellation notifications SHOULD: Stop processing
		// the cancelled request [...] Not send a response for the
		// cancelled request"; a result that crossed the notification is
		// allowed: "Processing may have completed before cancellation
		// arrives".
		{"tools-cancel", "a cancelled call stops and sends no result", Should, spec + "basic/utilities/cancellation", nil, "", checkCancel},
		{"tools-cancel-progress", "a cancelled call stops sending progress", Should, spec + "basic/utilities/cancellation#behavior-requirements", nil, "", checkCancelProgress},

		// Other features, where advertised.

		// "Servers that emit log message notifications MUST declare the
		// logging capability", whose request is logging/setLevel.
		{"logging-set-level", "logging/setLevel works when logging is advertised", Must, spec + "server/utilities/logging", nil, "", checkSetLevel},
		// The schema's Resource and ReadResourceResult; "Servers SHOULD
		// return standard JSON-RPC errors for common failure cases:
		// Resource not found: -32002" is a SHOULD finding.
		{"resources", "resources list, read and templates are well-formed", Must, spec + "server/resources", nil, "", checkResources},
		// The schema's Prompt and GetPromptResult; "Servers SHOULD return
		// standard JSON-RPC errors for common failure cases: Invalid
		// prompt name: -32602" is a SHOULD finding.
		{"prompts", "prompts list and get are well-formed", Must, spec + "server/prompts", nil, "", checkPrompts},
		{"tasks", "tasks: taskSupport, tasks/get, tasks/result, tasks/list and tasks/cancel", Must, spec + "basic/utilities/tasks", []string{rev20251125}, "", checkTasks},
		{"icons", "icons of the server, tools, prompts and resources are well-formed", Must, spec + "basic#icons", []string{rev20251125}, "", checkIcons},
		{"resources-subscribe", "resources/subscribe and unsubscribe answer when subscribe is advertised", Must, spec + "server/resources#subscriptions", nil, "", checkSubscribe},
		{"completions", "completion/complete answers when completions are advertised", Must, spec + "server/utilities/completion", nil, "", checkCompletions},

		// Streamable HTTP.

		// "The server MAY terminate the session at any time, after which
		// it MUST respond to requests containing that session ID with HTTP
		// 404 Not Found."
		{"http-session", "an unknown or deleted session gets 404", Must, spec + "basic/transports#session-management", nil, "http", checkHTTPSession},
		// "Servers that require a session ID SHOULD respond to requests
		// without an MCP-Session-Id header (other than initialization)
		// with HTTP 400 Bad Request."
		{"http-session-required", "a request without the session id gets 400", Should, spec + "basic/transports#session-management", nil, "http", checkHTTPSessionRequired},
		// "If the server receives a request with an invalid or unsupported
		// MCP-Protocol-Version, it MUST respond with 400 Bad Request."
		{"http-protocol-version", "an unsupported MCP-Protocol-Version header gets 400", Must, spec + "basic/transports#protocol-version-header", []string{rev20250618, rev20251125}, "http", checkHTTPProtocolVersion},
		// "Servers MUST validate the Origin header on all incoming
		// connections"; from 2025-11-25 on, "If the Origin header is
		// present and invalid, servers MUST respond with HTTP 403
		// Forbidden."
		{"http-origin", "a foreign Origin is refused (403 from 2025-11-25 on)", Must, spec + "basic/transports#security-warning", nil, "http", checkHTTPOrigin},
		// "If the server accepts the input, the server MUST return HTTP
		// status code 202 Accepted with no body."
		{"http-notification", "a notification gets 202 Accepted", Must, spec + "basic/transports#sending-messages-to-the-server", nil, "http", checkHTTPNotification},
		{"http-get", "GET on the endpoint opens an SSE stream or gets 405", Must, spec + "basic/transports#listening-for-messages-from-the-server", streamable(), "http", checkHTTPGet},
		{"http-session-id", "session ids are visible ASCII", Must, spec + "basic/transports#session-management", streamable(), "http", checkHTTPSessionID},

		// Last: they judge the messages of every connection above.
		{"logging-messages", "log messages are well-formed", Must, spec + "server/utilities/logging#log-message-notifications", nil, "", checkLogMessages},
		{"lifecycle-server-capabilities", "capabilities are well-formed and announce every notification sent", Must, spec + "basic/lifecycle#capability-negotiation", nil, "", checkServerCapabilities},
		{"jsonrpc-message-shape", "responses have a result or an error, notifications no id", Must, spec + "basic#messages", nil, "", checkMessageShape},
		{"lifecycle-early-requests", "no request but ping before notifications/initialized", Should, spec + "basic/lifecycle#initialization", nil, "", checkEarlyRequests},
		{"sampling-request", "sampling/createMessage requests are well-formed", Must, spec + "client/sampling", nil, "", checkSamplingRequests},
		{"elicitation-request", "elicitation/create requests are well-formed, in form and URL mode", Must, spec + "client/elicitation", nil, "", checkElicitationRequests},
		{"lifecycle-client-capabilities", "the server uses only the client capabilities declared", Must, spec + "basic/lifecycle#operation", nil, "", checkClientCapabilities},
		{"tools-progress-token", "progress only for the token of a request in progress", Must, spec + "basic/utilities/progress#behavior-requirements", nil, "", checkProgressTokens},
		// "The server MUST NOT write anything to its stdout that is not a
		// valid MCP message."
		{"stdio-purity", "nothing but JSON-RPC messages on stdout", Must, spec + "basic/transports#stdio", nil, "stdio", checkStdoutPurity},
	}
}

// streamable are the revisions of the streamable HTTP transport with
// sessions.
func streamable() []string { return []string{rev20250326, rev20250618, rev20251125} }

// serverChecks are the ids of the checks that judge the server as a
// whole, on connections of their own, rather than one session: they run
// once, at the main revision; the others run at every revision the main
// session runs at.
func serverChecks() []string {
	return []string{
		"lifecycle-initialize",
		"lifecycle-version-negotiation",
		"lifecycle-discover",
		"lifecycle-before-initialize",
		"lifecycle-version-accepted",
		"jsonrpc-parse-error",
		// They judge every message of every connection of the run.
		"logging-messages",
		"lifecycle-server-capabilities",
		"jsonrpc-message-shape",
		"lifecycle-early-requests",
		"sampling-request",
		"elicitation-request",
		"lifecycle-client-capabilities",
		"tools-progress-token",
		"stdio-purity",
	}
}
