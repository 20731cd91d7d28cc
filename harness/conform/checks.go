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
		{"lifecycle-discover", "server/discover describes a stateless server", Must, "https://modelcontextprotocol.io/specification/2026-07-28/basic/lifecycle", nil, "", checkDiscover},
		{"lifecycle-before-initialize", "a request before initialize gets an error", Should, spec + "basic/lifecycle#initialization", nil, "", checkBeforeInitialize},
		{"lifecycle-ping", "ping gets an empty result", Must, spec + "basic/utilities/ping", nil, "", checkPing},
		{"lifecycle-capabilities", "every advertised capability works", Must, spec + "basic/lifecycle#capability-negotiation", nil, "", checkCapabilities},
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
		{"tools-annotations", "tool annotations are well-formed", Must, spec + "server/tools#tool", nil, "", checkToolAnnotations},
		{"tools-unknown", "calling an unknown tool is a protocol error", Must, spec + "server/tools#error-handling", nil, "", checkUnknownTool},
		{"tools-invalid-arguments", "arguments that break the inputSchema are refused", Must, spec + "server/tools#error-handling", nil, "", checkInvalidArguments},
		{"tools-call", "tools called with valid arguments give well-formed results", Must, spec + "server/tools#tool-result", nil, "", checkToolCalls},
		{"tools-structured-content", "structuredContent validates against the outputSchema", Must, spec + "server/tools#structured-content", nil, "", checkStructuredContent},
		{"tools-structured-text", "structuredContent is mirrored as text", Should, spec + "server/tools#structured-content", nil, "", checkStructuredText},
		{"tools-concurrent-calls", "concurrent tool calls are each answered", Must, spec + "basic#requests", nil, "", checkConcurrentCalls},
		{"tools-progress", "progress notifications increase", Must, spec + "basic/utilities/progress", nil, "", checkProgress},
		{"tools-cancel", "a cancelled call stops and sends no result", Should, spec + "basic/utilities/cancellation", nil, "", checkCancel},

		// Other features, where advertised.
		{"logging-set-level", "logging/setLevel works when logging is advertised", Must, spec + "server/utilities/logging", nil, "", checkSetLevel},
		{"resources", "resources list, read and templates are well-formed", Must, spec + "server/resources", nil, "", checkResources},
		{"prompts", "prompts list and get are well-formed", Must, spec + "server/prompts", nil, "", checkPrompts},

		// Streamable HTTP.
		{"http-session", "an unknown or deleted session gets 404", Must, spec + "basic/transports#session-management", nil, "http", checkHTTPSession},
		{"http-session-required", "a request without the session id gets 400", Should, spec + "basic/transports#session-management", nil, "http", checkHTTPSessionRequired},
		{"http-protocol-version", "an unsupported MCP-Protocol-Version header gets 400", Must, spec + "basic/transports#protocol-version-header", []string{rev20250618, rev20251125}, "http", checkHTTPProtocolVersion},
		{"http-origin", "a foreign Origin is refused with 403", Must, spec + "basic/transports#security-warning", nil, "http", checkHTTPOrigin},
		{"http-notification", "a notification gets 202 Accepted", Must, spec + "basic/transports#sending-messages-to-the-server", nil, "http", checkHTTPNotification},

		// Last: it judges the output of every connection above.
		{"stdio-purity", "nothing but JSON-RPC messages on stdout", Must, spec + "basic/transports#stdio", nil, "stdio", checkStdoutPurity},
	}
}

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
		"jsonrpc-parse-error",
		"stdio-purity",
	}
}
