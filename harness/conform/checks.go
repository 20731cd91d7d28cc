package conform

const spec = "https://modelcontextprotocol.io/specification/2025-11-25/"

// checks is every check, in the order they run. Checks that open their
// own connections come first; stdio-purity is last so that it sees the
// output of every connection the run opened.
func checks() []check {
	return []check{
		// Lifecycle.
		{"lifecycle-initialize", "initialize answers each revision, echoing the ones it supports", Must, spec + "basic/lifecycle#initialization", nil, "", checkInitialize},
		{"lifecycle-version-negotiation", "an unknown revision is answered with one the server supports", Must, spec + "basic/lifecycle#version-negotiation", nil, "", checkVersionNegotiation},
		{"lifecycle-version-accepted", "a revision answered in place of another is echoed when asked for", Must, spec + "basic/lifecycle#version-negotiation", nil, "", checkVersionAccepted},
		{"lifecycle-discover", "server/discover describes a stateless server", Must, "https://modelcontextprotocol.io/specification/2026-07-28/basic/lifecycle", nil, "", checkDiscover},
		{"lifecycle-before-initialize", "a request before initialize gets an error", Should, spec + "basic/lifecycle#initialization", nil, "", checkBeforeInitialize},
		{"lifecycle-ping", "ping gets an empty result", Must, spec + "basic/utilities/ping", nil, "", checkPing},
		{"lifecycle-capabilities", "every advertised capability works", Must, spec + "basic/lifecycle#capability-negotiation", nil, "", checkCapabilities},
		{"lifecycle-server-info", "serverInfo's title, description and websiteUrl are well-formed", Must, spec + "basic/lifecycle#initialization", []string{rev20250618, rev20251125}, "", checkServerInfo},
		{"lifecycle-stdin-close", "the server exits when its stdin closes", Should, spec + "basic/lifecycle#stdio", nil, "stdio", checkStdinClose},

		// JSON-RPC.
		{"jsonrpc-ids", "answers echo the request id, never null", Must, spec + "basic#responses", nil, "", checkIDs},
		{"jsonrpc-parse-error", "malformed JSON gets -32700 and the connection survives", Should, "https://www.jsonrpc.org/specification#error_object", nil, "", checkParseError},
		{"jsonrpc-method-not-found", "an unknown method gets -32601", Must, "https://www.jsonrpc.org/specification#error_object", nil, "", checkMethodNotFound},
		{"jsonrpc-invalid-params", "invalid params get -32602", Must, "https://www.jsonrpc.org/specification#error_object", nil, "", checkInvalidParams},
		{"jsonrpc-batch", "a batch gets a batch of answers", Must, "https://modelcontextprotocol.io/specification/2025-03-26/basic#batching", []string{rev20241105, rev20250326}, "", checkBatch},
		{"jsonrpc-batch-refused", "a batch, which the revision removed, gets an error", Should, "https://modelcontextprotocol.io/specification/2025-06-18/changelog", []string{rev20250618, rev20251125}, "", checkBatchRefused},
		{"jsonrpc-notification", "a notification gets no answer", Must, spec + "basic#notifications", nil, "", checkNotification},
		{"jsonrpc-concurrent", "concurrent requests are each answered once", Must, spec + "basic#requests", nil, "", checkConcurrent},

		// Tools.
		{"tools-list", "tools/list pages end, and names are unique", Must, spec + "server/tools#listing-tools", nil, "", checkToolsList},
		{"tools-list-cursor", "a garbage cursor gets -32602", Should, spec + "server/utilities/pagination#error-handling", nil, "", checkToolsCursor},
		{"tools-names", "tool names are 1-128 of A-Z a-z 0-9 _ - .", Should, spec + "server/tools#tool-names", nil, "", checkToolNames},
		{"tools-input-schema", "every inputSchema is a valid JSON Schema of type object", Must, spec + "server/tools#tool", nil, "", checkInputSchema},
		{"tools-output-schema", "every outputSchema is a valid JSON Schema of type object", Must, spec + "server/tools#output-schema", nil, "", checkOutputSchema},
		{"tools-schema-dialect", "schemas without $schema are valid JSON Schema 2020-12", Must, spec + "basic#json-schema-usage", []string{rev20251125, revStateless}, "", checkSchemaDialect},
		{"tools-annotations", "tool annotations are well-formed", Must, spec + "server/tools#tool", nil, "", checkToolAnnotations},
		{"tools-unknown", "calling an unknown tool is a protocol error", Must, spec + "server/tools#error-handling", nil, "", checkUnknownTool},
		{"tools-invalid-arguments", "arguments that break the inputSchema are refused", Must, spec + "server/tools#error-handling", nil, "", checkInvalidArguments},
		{"tools-call", "tools called with valid arguments give well-formed results", Must, spec + "server/tools#tool-result", nil, "", checkToolCalls},
		{"tools-structured-content", "structuredContent validates against the outputSchema", Must, spec + "server/tools#structured-content", nil, "", checkStructuredContent},
		{"tools-structured-paths", "structuredContent validates for every argument set tried", Must, spec + "server/tools#output-schema", nil, "", checkStructuredPaths},
		{"tools-structured-text", "structuredContent is mirrored as text", Should, spec + "server/tools#structured-content", nil, "", checkStructuredText},
		{"tools-concurrent-calls", "concurrent tool calls are each answered", Must, spec + "basic#requests", nil, "", checkConcurrentCalls},
		{"tools-progress", "progress notifications increase", Must, spec + "basic/utilities/progress", nil, "", checkProgress},
		{"tools-cancel", "a cancelled call stops and sends no result", Should, spec + "basic/utilities/cancellation", nil, "", checkCancel},
		{"tools-cancel-progress", "a cancelled call stops sending progress", Should, spec + "basic/utilities/cancellation#behavior-requirements", nil, "", checkCancelProgress},

		// Other features, where advertised.
		{"logging-set-level", "logging/setLevel works when logging is advertised", Must, spec + "server/utilities/logging", nil, "", checkSetLevel},
		{"resources", "resources list, read and templates are well-formed", Must, spec + "server/resources", nil, "", checkResources},
		{"prompts", "prompts list and get are well-formed", Must, spec + "server/prompts", nil, "", checkPrompts},
		{"tasks", "tasks: taskSupport, tasks/get, tasks/result, tasks/list and tasks/cancel", Must, spec + "basic/utilities/tasks", []string{rev20251125}, "", checkTasks},
		{"icons", "icons of the server, tools, prompts and resources are well-formed", Must, spec + "basic#icons", []string{rev20251125}, "", checkIcons},
		{"resources-subscribe", "resources/subscribe and unsubscribe answer when subscribe is advertised", Must, spec + "server/resources#subscriptions", nil, "", checkSubscribe},
		{"completions", "completion/complete answers when completions are advertised", Must, spec + "server/utilities/completion", nil, "", checkCompletions},

		// Streamable HTTP.
		{"http-session", "an unknown or deleted session gets 404", Must, spec + "basic/transports#session-management", nil, "http", checkHTTPSession},
		{"http-session-required", "a request without the session id gets 400", Should, spec + "basic/transports#session-management", nil, "http", checkHTTPSessionRequired},
		{"http-protocol-version", "an unsupported MCP-Protocol-Version header gets 400", Must, spec + "basic/transports#protocol-version-header", []string{rev20250618, rev20251125}, "http", checkHTTPProtocolVersion},
		{"http-origin", "a foreign Origin is refused with 403", Must, spec + "basic/transports#security-warning", nil, "http", checkHTTPOrigin},
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
		{"stdio-purity", "nothing but JSON-RPC messages on stdout", Must, spec + "basic/transports#stdio", nil, "stdio", checkStdoutPurity},
	}
}

// streamable are the revisions of the streamable HTTP transport with
// sessions.
func streamable() []string { return []string{rev20250326, rev20250618, rev20251125} }
