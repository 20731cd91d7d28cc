// Package conform checks that an MCP server follows the protocol.
//
// [Check] drives a server, a command over stdio or a streamable HTTP URL
// (a [target.Target]), through a list of checks and returns a [Report]
// with every finding; it never stops at the first. Each check has an id
// ("tools-unknown"), a title, the revisions it applies to, a level (MUST,
// SHOULD or INFO: a broken MUST rule fails the check, a broken SHOULD
// rule warns, an INFO finding is a note) and the section of the
// specification it enforces. A finding quotes the message that broke the
// rule.
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
// The checker declares no client capability unless [Options.ClientCaps]
// names some; it answers the server's sampling, elicitation and roots
// requests for those with canned, valid answers, and a request for one it
// did not declare is a finding. Every session keeps a transcript of the
// messages both ways, so that the last checks judge the whole run: the
// shape of every message, progress tokens, log messages, requests before
// notifications/initialized.
//
// Tools are called, with arguments generated from their input schema or
// with arguments it rejects, only when the user allows it
// ([Options.CallTools], [Options.AllowTools]): calling Bash with made-up
// arguments on someone's machine is not acceptable, and a server that
// does not validate its input would run a tool with invalid ones too.
// Without permission, tools are judged from tools/list, and an unknown
// tool's name is the only one called.
//
// Each check has the level the specification gives its rule: MUST,
// SHOULD, or INFO for what breaks no rule of the server's (a client's
// SHOULD NOT, a behaviour no rule asks for) but is worth showing. A check
// whose rule is a MUST may find a lesser fault, such as a wrong error
// code where only the error is required; that finding has its own level.
// A broken MUST fails the check, a SHOULD warns, an INFO finding is a
// note, which fails nothing.
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
// every revision with initialize, "" both transports), and above it, as a
// comment, the sentence of the specification that gives the rule its
// level. The probe runs once per main session, p.rev being its revision;
// a check that judges the server as a whole is named in serverChecks and
// runs once. p.fail records a finding with its evidence (a *message, raw
// bytes, a string or an error) at the check's level, p.warn one of a
// SHOULD rule, p.note one that breaks no rule; p.skip says why the check
// does not apply (a feature the server does not advertise); p.settle
// leaves a judgment for the end of the run. p.open and p.handshake start
// a fresh connection; p.hellos are the handshakes the run began with;
// p.listTools and p.calls share what earlier checks learned on the
// session; p.eachIncoming walks every message the server sent, in every
// session. Then add a server to the zoo in fakes/mcpservers that breaks
// the rule, with the check's id: TestZoo proves the check finds it, and
// that the correct server still passes.
package conform
