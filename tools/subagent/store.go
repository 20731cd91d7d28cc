package subagent

import "context"

// A Store keeps a Service's background jobs and gives each queued job to
// one worker to run. [MemoryStore] keeps the jobs of one process;
// [RedisStore] shares them between every process that names the same
// Redis, so that a job sent through one replica is listed, fetched and
// cancelled through any other. Both pass one behaviour suite.
//
// A finished job is kept for the store's TTL, then is gone at once (a
// queued or running job never expires). Implementations are safe for
// concurrent use.
type Store interface {
	Jobs
	Queue
}

// Jobs is the side of a [Store] that the tools read.
type Jobs interface {
	// Get returns the job id with its result; ok is false when there is
	// no such job or it expired.
	Get(ctx context.Context, id string) (j Job, ok bool, err error)
	// List returns every live job, without results, oldest first.
	List(ctx context.Context) ([]Job, error)
	// Wait returns nil once the job id has ended or is not there, and
	// ctx's error when ctx is done first.
	Wait(ctx context.Context, id string) error
}

// Queue is the side of a [Store] through which jobs enter, run and stop.
type Queue interface {
	// Submit records a queued job id for req and returns it.
	Submit(ctx context.Context, id string, req Request) (Job, error)
	// Claim waits until a queued job is there, marks it running and gives
	// it to the caller alone. It returns ctx's error when ctx is done
	// first.
	Claim(ctx context.Context) (Claim, error)
	// Cancel ends the job id, cancelled, unless it already ended, and
	// stops the worker that runs it, in whichever process; it returns the
	// job as it is after, and ok false when there is no such job.
	Cancel(ctx context.Context, id string) (j Job, ok bool, err error)
}

// A Claim is a running job, held by the one worker that claimed it.
type Claim interface {
	// Job returns the job's id and request.
	Job() (id string, req Request)
	// Stopped is closed when the worker must stop the job without ending
	// it: it was cancelled (through any process sharing the store) or,
	// in a shared store, another worker took it over.
	Stopped() <-chan struct{}
	// End records how the job ended. It does nothing when the job
	// already ended (it was cancelled) or when the claim was lost.
	End(ctx context.Context, o Outcome) error
	// Release gives the job up unfinished because the worker is
	// stopping: a MemoryStore ends it cancelled (no other process could
	// run it), a RedisStore queues it again for the next worker.
	Release(ctx context.Context) error
}

// Outcome is how a job ended.
type Outcome struct {
	Status Status      // Completed, Failed or Cancelled
	Result *Completion // the answer of a completed job
	Error  string      // why a job failed or was cancelled
}

// evicter is a store that removes its expired jobs when asked, rather
// than only hiding them; a Service's janitor calls it.
type evicter interface {
	Evict(ctx context.Context) (int, error)
}

// The texts of a job's error that the tools show.
const (
	cancelledText = "cancelled by sub_agent_cancel"
	stoppedText   = "the sub-agent server stopped"
)
