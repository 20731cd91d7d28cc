package main

import "time"

// A server is one real MCP server that the world run checks.
type server struct {
	// name names its expectation file, expect/<name>.txt.
	name string
	// Where it comes from: exactly one of npm, a package of package.json
	// run with Node 22, and goPkg, a Go package@version that go install
	// builds.
	npm, goPkg string
	// args and env are its arguments and extra environment; "$DIR" in
	// them is a fresh temporary directory, made for this server and
	// removed after it, which is also its working directory and $HOME;
	// "$ADDR" is the address it listens on, 127.0.0.1:port.
	args, env []string
	// http serves it over streamable HTTP at http://$ADDR/, started by
	// the run, rather than over stdio, started by mcptest.
	http bool
	// callTools says why calling every tool with generated arguments is
	// safe, written in the expectation file; empty means the tools are
	// only probed, never called.
	callTools string
	// target is the wall time the check should take (issue 12), printed
	// beside the time it took; zero means none.
	target time.Duration
}

// servers are the servers of the world run, in the order it runs them.
func servers() []server {
	const goSDK = "github.com/modelcontextprotocol/go-sdk/examples/server/"
	return []server{
		{
			name: "ts-everything", npm: "@modelcontextprotocol/server-everything", args: []string{"stdio"},
			// An empty list would allow every domain.
			env: []string{"GZIP_ALLOWED_DOMAINS=conformance-world.invalid"},
			callTools: "its tools work inside the server, but for two: gzip-file-as-resource fetches a URL, and " +
				"GZIP_ALLOWED_DOMAINS names a domain that cannot exist, so it fetches nothing but data: URLs; " +
				"get-env prints the environment, which is the run's minimal one ($PATH, $HOME and $TMPDIR)",
			target: 2 * time.Second,
		},
		{
			name: "ts-filesystem", npm: "@modelcontextprotocol/server-filesystem", args: []string{"$DIR"},
			callTools: "it may read and write only the directories its arguments allow, here a fresh empty " +
				"temporary directory that is also its working directory and $HOME, removed after the run",
		},
		{
			name: "ts-memory", npm: "@modelcontextprotocol/server-memory",
			env:       []string{"MEMORY_FILE_PATH=$DIR/memory.jsonl"},
			callTools: "its tools edit a knowledge graph kept in MEMORY_FILE_PATH, a file of a fresh temporary directory",
		},
		{
			name: "ts-sequential-thinking", npm: "@modelcontextprotocol/server-sequential-thinking",
			callTools: "its one tool records a thought in memory and prints it on stderr",
		},
		{
			name: "go-everything", goPkg: goSDK + "everything@v1.8.0",
			callTools: "its tools answer from memory or ask the client (ping, sampling, elicitation, roots), " +
				"which declares no capability",
			target: 2 * time.Second,
		},
		{
			name: "go-everything-http", goPkg: goSDK + "everything@v1.8.0", args: []string{"-http", "$ADDR"}, http: true,
			callTools: "as for go-everything, which this is, over streamable HTTP on 127.0.0.1",
		},
		{
			name: "go-memory", goPkg: goSDK + "memory@v1.8.0",
			callTools: "without -memory its knowledge graph lives in memory only",
		},
	}
}
