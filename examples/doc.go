// Package examples holds gomcptest used from outside, as its users do: each
// folder is a small program of the kind people test (an app on Gemini, an
// app on an OpenAI-compatible API, an MCP server, a binary driven by
// scripts) with its tests, written only against the public API. The module
// has its own go.mod with a replace to the repository, so it builds as a
// user's module would; `make examples` runs it.
package examples
