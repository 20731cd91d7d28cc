// Package toolkit is what every gomcptest tool binary shares: the common
// flags, serving an [mcp.Server] over stdio or streamable HTTP, the
// root-confinement [Policy] for file tools with the [Root] they open paths
// through, and the output cap [Truncate].
//
// A tool binary's main describes itself as a [Program] and hands it to
// [Main]:
//
//	func main() {
//		os.Exit(toolkit.Main(toolkit.Program{
//			Name:     "sleep",
//			Summary:  "pauses for a number of seconds",
//			Register: func(s *mcp.Server, cfg toolkit.Config) error { ... },
//		}))
//	}
//
// Every binary then accepts the same flags: -http ADDR (with
// -auth-token, -max-sessions and -session-idle to bound who may use it and
// what they may hold), -root DIR (repeatable), -max-output N and
// -log-level LEVEL, and teaches them in --help.
package toolkit
