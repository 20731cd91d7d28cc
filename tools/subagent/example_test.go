package subagent_test

import (
	"context"
	"fmt"
	"time"

	"github.com/owulveryck/gomcptest/tools/subagent"
)

// A Store's life of a job, as a Service's worker lives it: submitted,
// claimed by one worker, ended, then read by the tools. A RedisStore
// (subagent.NewRedisStore) behaves the same, across processes.
func ExampleMemoryStore() {
	ctx := context.Background()
	var s subagent.Store = subagent.NewMemoryStore(time.Hour, nil)
	s.Submit(ctx, "t1", subagent.Request{Message: "Summarise the README", Model: "gpt-4o-mini"})

	c, _ := s.Claim(ctx) // waits for a queued job; this worker alone gets it
	id, req := c.Job()
	c.End(ctx, subagent.Outcome{Status: subagent.Completed, Result: &subagent.Completion{Text: "It is short."}})

	j, _, _ := s.Get(ctx, id)
	fmt.Println(id, req.Message, "->", j.Status, j.Result.Text)
	// Output: t1 Summarise the README -> completed It is short.
}
