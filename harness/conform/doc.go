// Package conform checks that an MCP server follows the protocol.
//
// [Check] drives a server, a command over stdio or a streamable HTTP URL
// (a [target.Target]), through a list of checks and returns a [Report]
// with every finding; it never stops at the first. Each check has an id
// ("tools-unknown"), a title, the revisions it applies to, a level (MUST
// or SHOULD: a broken MUST rule fails the check, a broken SHOULD rule
// warns) and the section of the specification it enforces. A finding
// quotes the message that broke the rule.
//
// The checker speaks raw JSON-RPC (session.go, over stdio.go or http.go)
// rather than through an SDK client, since a client hides exactly what the
// checks must see: ids, stray answers, non-JSON output, batches, status
// codes. Every exchange has a deadline ([Options.Timeout]), over HTTP too
// (a POST held open, an SSE stream that sends nothing, are cut at it), so
// a server that hangs costs time but cannot hang the run.
//
// The run begins with a handshake at every revision the checker knows,
// each on a connection of its own, all at once. The revisions the server
// echoes are the ones it claims, and each of their sessions is a main
// session: the checks that use the main session run at every revision the
// server claims, newest first (or only at [Options.Revision]), and a
// finding names the revisions it was found at. Checks that judge the
// server as a whole, or that may break a connection (malformed JSON), run
// once, at the main revision, on connections of their own.
//
// A probe that waits to see that no answer comes (to a notification, to
// malformed JSON, to a cancelled call) ends on the server's answer to a
// ping sent after it, not on a fixed delay; since answers may come in any
// order, what has not come by then is judged at the end of the run, once
// every connection is closed and all it carried is in.
//
// [Check] returns the report, complete or not. A run that ends
// early (the target cannot be run, a main session's server exits, ctx
// ends) returns the report so far with the error; the checks it kept
// from running are [NotRun], with the reason. The report keeps the end of
// a command's stderr when the server failed. Its JSON form is versioned
// ([SchemaVersion]) and described in REPORT.md.
//
// Tools are called with arguments generated from their input schema only
// when the user allows it ([Options.CallTools], [Options.AllowTools]):
// calling Bash with made-up arguments on someone's machine is not
// acceptable. Without permission, tools are probed with invalid arguments
// only, which a server must refuse before acting.
//
// # Adding a check
//
// Write a function of this form in the file of its group (check_tools.go,
// check_http.go, ...):
//
//	// checkThing says which rule it tests and how.
//	func checkThing(ctx context.Context, p *probe) {
//		m, err := p.main.call(ctx, "thing/list", nil)
//		if err != nil {
//			p.fail(err, "thing/list: %v", err)
//			return
//		}
//		if m.Error != nil {
//			p.fail(m, "thing/list got an error")
//		}
//	}
//
// then add one line to the list in checks.go, with its id, title, level,
// spec section, the revisions and the transport it applies to (nil means
// every revision with initialize, "" both transports). The probe runs once
// per main session, p.rev being its revision; a check that judges the
// server as a whole is named in serverChecks and runs once. p.fail
// records a finding with its evidence (a *message, raw bytes, a string or
// an error); p.skip says why the check does not apply (a feature the
// server does not advertise); p.settle leaves a judgment for the end of
// the run. p.open and p.handshake start a fresh connection; p.hellos are
// the handshakes the run began with; p.listTools and p.calls share what
// earlier checks learned on the session. Then add a server to the zoo in
// fakes/mcpservers that breaks the rule, with the check's id: TestZoo
// proves the check finds it, and that the correct server still passes.
package conform
