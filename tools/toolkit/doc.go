// Package toolkit is what every gomcptest tool binary shares, and what you
// use to write an MCP tool server of your own in the same shape: the
// common flags, serving an [mcp.Server] over stdio or streamable HTTP, the
// root-confinement [Policy] for file tools with the [Root] they open paths
// through, and the output cap [Truncate]. The tool packages (tools/view,
// tools/grep, ...) take a *Policy in their Options, so you can register
// them on a server of your own, confined as you choose.
//
// A tool binary's main describes itself as a [Program] and hands it to
// [Main]:
//
//	func main() {
//		os.Exit(toolkit.Main(toolkit.Program{
//			Name:     "sleep",
//			Summary:  "pauses for a number of seconds",
//			Register: func(ctx context.Context, s *mcp.Server, cfg toolkit.Config) error { ... },
//		}))
//	}
//
// Every binary then accepts the same flags: -http ADDR (with
// -auth-token, -max-sessions and -session-idle to bound who may use it and
// what they may hold), -root DIR (repeatable), -max-output N and
// -log-level LEVEL, and teaches them in --help.
package toolkit
