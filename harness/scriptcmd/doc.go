// Package scriptcmd adds commands to testscript
// (github.com/rogpeppe/go-internal/testscript) for testing MCP servers and
// the programs that talk to models: open a session with an MCP server and
// call its tools line by line, serve a scripted fake Gemini or OpenAI model
// for the program under test, post chat completions and check the stream.
//
// Add the commands and their per-script state to the Params of your
// script test:
//
//	func TestScripts(t *testing.T) {
//		testscript.Run(t, testscript.Params{
//			Dir:   "testdata",
//			Cmds:  scriptcmd.Commands(),
//			Setup: scriptcmd.Setup, // or call scriptcmd.Setup(env) from your Setup
//		})
//	}
//
// A script in testdata/ then reads like a terminal session. Here the
// server is a binary the test registered with testscript.Main, and the
// program under test reads OPENAI_BASE_URL:
//
//	# the server's tools, and a call to one
//	mcp start srv -- myserver -root $WORK
//	mcp list srv
//	stdout '^echo$'
//	mcp call srv echo '{"text":"hello"}'
//	stdout '^hello$'
//
//	# a tool failure is a failing command; -json shows the whole result
//	! mcp call srv fail
//	stdout 'it went wrong'
//	mcp call -json srv add '{"a":1,"b":2}'
//	stdout '"sum": 3'
//	mcp stop srv
//
//	# a program against a fake model, whose scenario is a file of the
//	# script: a txtar file too, so its lines are quoted with > and unquote
//	# (testscript's) writes it out
//	unquote turns.txtar
//	fake start openai turns.txtar
//	exec myapp -ask 'Say hello'
//	stdout 'Hello there'
//	fake stop openai
//
//	-- turns.txtar --
//	>-- 1: greet --
//	>expect text hello
//	>text Hello there.
//
// The commands:
//
//	mcp start NAME (-- COMMAND [ARGS...] | -url URL)
//	        start a stdio MCP server, or reach a streamable HTTP one, as NAME
//	mcp call [-json] [-timeout D] NAME TOOL [ARGS]
//	        call TOOL with ARGS (a JSON object or @FILE), print the result
//	mcp list NAME
//	        print the names of the session's tools, one a line
//	mcp stop NAME
//	        close the session and stop its server
//	fake start gemini|openai SCENARIO
//	        serve a scripted fake model and export its URL
//	fake stop gemini|openai
//	        stop it and check that its scenario was played as written
//	chat [flags] URL BODY
//	        post a chat completion and summarise the answer
//	get [-status N] [-key K] URL
//	        fetch URL and print the body
//	freeport VAR...
//	        set each VAR to a free TCP port on 127.0.0.1
//	waitport [-timeout D] PORT
//	        wait until 127.0.0.1:PORT accepts connections
//	capture VAR REGEXP
//	        set VAR from the last command's stdout
//	help [-v] [COMMAND...]
//	        print the usage of these commands
//
// A script's help -v line (or [Help] in Go) prints the details of each:
// what a result prints, which variables fake start sets, what makes a
// command fail and what ! expects.
//
// Sessions and fakes belong to the script that started them and are
// stopped when it ends, even when it fails. A fake still running then
// fails the test if its scenario has turns left or it got a request it did
// not expect, as fakegemini.NewTestServer and fakeopenai.NewTestServer do
// in a Go test.
//
// A stdio server starts as exec would start it: found on the script's
// $PATH, in its current directory, with its environment. testscript does
// not tell a command every variable the env command added, so the server
// sees the variables the script started with (testscript's own and
// Params.Setup's, at their current values) and those this package's
// commands set; declare in Params.Setup, even empty, any other one a
// server needs.
package scriptcmd
