// Package subagent is the sub-agent MCP server: it sends chat completions
// to any OpenAI-compatible endpoint (OpenAI, a local llama.cpp or Ollama,
// gomcptest's own openaiserver), either waiting for the answer or as
// background jobs that it tracks.
//
// A [Service] holds the endpoint's client and a [Store] of jobs. A
// background job is queued, runs when one of Options.MaxJobs slots is
// free, and ends completed, failed or cancelled; its result is kept for
// Options.TTL after it ends (a job still queued or running never expires),
// and a janitor evicts expired jobs every Options.CleanupInterval.
// [Register] exposes the service as four tools: sub_agent_send,
// sub_agent_list, sub_agent_get_result and sub_agent_cancel.
//
// Every request goes through Options.HTTPClient, the one seam for
// recording and replaying traffic. Upstream failures (401, 404, 429, 5xx,
// timeouts) become tool errors that say what to do.
package subagent
