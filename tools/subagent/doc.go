// Package subagent is the sub-agent MCP server: it sends chat completions
// to any OpenAI-compatible endpoint (OpenAI, a local llama.cpp or Ollama,
// gomcptest's own openaiserver), either waiting for the answer or as
// background jobs that it tracks.
//
// A [Service] holds the endpoint's client and a [Store] of jobs. A
// background job is queued in the store, claimed by a worker when one of
// the Service's Options.MaxJobs slots is free, and ends completed, failed
// or cancelled; its result is kept for the TTL after it ends (a job still
// queued or running never expires). [Register] exposes the service as four
// tools: sub_agent_send, sub_agent_list, sub_agent_get_result and
// sub_agent_cancel.
//
// Every request goes through Options.HTTPClient, the one seam for
// recording and replaying traffic. Upstream failures (401, 404, 429, 5xx,
// timeouts) become tool errors that say what to do.
//
// # Stores
//
// [MemoryStore], the default, keeps the jobs of one process: they go when
// it goes. [RedisStore] keeps them in Redis, shared by every sub-agent
// that names the same server, database and prefix (sub-agent -store
// redis://HOST:PORT/DB): a job sent through one replica is listed, fetched
// and cancelled through any other, and run by exactly one of them. Both
// pass one behaviour suite.
//
// In Redis a job is a hash, subagent:job:ID. Every change to it is a Lua
// script, so that its status, its queue entry, its index entry and the
// message that it ended change together, and its times come from Redis's
// own clock, on which every replica agrees.
//
// The queue is a stream, subagent:queue, read by one consumer group that
// every replica joins (one consumer per process). A stream rather than a
// list moved into a per-worker list (BLMOVE) because the group keeps, for
// each job delivered, who holds it and for how long it has been idle: that
// is the lease, kept by Redis, with no second key to keep in step with the
// list, and XAUTOCLAIM hands over, atomically, what a dead worker held.
// So:
//
//   - a worker reads one new entry (XREADGROUP, blocking at most a
//     second) when it has a free slot, and marks the job running with a
//     token of its own (the fencing token);
//   - while it runs the job, it renews its lease every Lease/3 (XCLAIM to
//     itself, which sets the entry's idle time back to 0), but only while
//     the job is still running under its token;
//   - a worker looking for work first takes over (XAUTOCLAIM) any entry
//     idle for longer than the Lease: its worker died, or lost Redis. A job
//     taken over more than three times is failed instead of run again;
//   - a worker that ends a job does so only under its token: one that was
//     frozen past its lease and wakes up cannot overwrite what the worker
//     that took over does;
//   - a worker that is stopped (SIGTERM, Service.Close) queues its running
//     jobs again at once, for another replica, rather than cancel them.
//
// A job may so be sent upstream twice when its worker dies mid-request, or
// freezes past its lease; its result is recorded once.
//
// Cancelling marks the job cancelled and drops its queue entry in one
// script, which also publishes the job's id on subagent:ended. Every
// replica subscribes to that channel: the one running the job stops its
// request, and sub_agent_get_result's waits wake up. Pub/sub does not
// resend what a reconnecting subscriber missed, so a worker's lease
// renewal, which finds the job no longer running, stops it too (within
// Lease/3), and waiters read the job every second as well.
//
// A finished job's hash gets a PEXPIRE of the TTL: Redis itself forgets it,
// for every replica at once. sub_agent_list reads the sorted set
// subagent:jobs, every job's id scored by its expiry (+inf while open),
// and the hashes still there; the janitor drops the ids of expired jobs.
//
// Whoever can write to that Redis can queue jobs that the sub-agents send
// with their API key, and read every message and answer: give it a
// password (redis://:PASSWORD@HOST:PORT/DB) or an ACL user, TLS
// (rediss://) off the machine, and no other tenant.
//
// RedisStore needs Redis 6.2 or later (XAUTOCLAIM), standalone or behind
// Sentinel; its scripts touch keys they compute, which Redis Cluster
// refuses. The URL takes go-redis's options as a query, such as
// ?dial_timeout=3s&pool_size=20.
package subagent
