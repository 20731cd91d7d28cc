package conform

// The protocol revisions the checker knows, oldest first. Revisions are
// dates, so they compare as strings.
const (
	rev20241105  = "2024-11-05"
	rev20250326  = "2025-03-26"
	rev20250618  = "2025-06-18"
	rev20251125  = "2025-11-25"
	revStateless = "2026-07-28" // no initialize: server/discover, identity in every request's _meta
)

// Revisions returns the protocol revisions the checker knows, oldest first.
func Revisions() []string {
	return []string{rev20241105, rev20250326, rev20250618, rev20251125, revStateless}
}

// legacy reports whether a revision starts with initialize.
func legacy(rev string) bool { return rev < revStateless }

// Keys of the per-request _meta of the stateless revision.
const (
	metaProtocolVersion    = "io.modelcontextprotocol/protocolVersion"
	metaClientInfo         = "io.modelcontextprotocol/clientInfo"
	metaClientCapabilities = "io.modelcontextprotocol/clientCapabilities"
)

// clientInfo is how the checker introduces itself.
var clientInfo = map[string]string{"name": "gomcptest-conform", "version": "1"}

func statelessMeta(rev string) map[string]any {
	return map[string]any{
		metaProtocolVersion:    rev,
		metaClientInfo:         clientInfo,
		metaClientCapabilities: map[string]any{},
	}
}

// initializeParams is the initialize request of a plain client.
func initializeParams(rev string) map[string]any {
	return map[string]any{
		"protocolVersion": rev,
		"capabilities":    map[string]any{},
		"clientInfo":      clientInfo,
	}
}
