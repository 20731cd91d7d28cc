// Package replaytest runs the whole host (the Vertex AI backend through
// the real genai client, the agent loop, the HTTP API, a real MCP tool) on
// cassettes recorded from Vertex AI, in recordings/vertex/. It holds only
// tests.
//
// By default the tests replay: no network, no credentials. To record the
// cassettes again (see recordings/README.md):
//
//	make record                              # against Vertex AI: GCP_PROJECT and ADC
//	GOMCPTEST_VCR=record GOMCPTEST_VCR_STANDIN=fakegemini go test ./host/replaytest
//	                                         # against fakegemini (synthesized)
//
// The -record test flag is the same as GOMCPTEST_VCR=record.
package replaytest
