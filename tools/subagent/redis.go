package subagent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Defaults of RedisOptions.
const (
	DefaultLease       = 30 * time.Second
	DefaultRedisPrefix = "subagent:"
)

// maxReclaims is how many times a job is taken over from a worker that
// stopped renewing its lease before it is failed: a task that kills every
// worker that runs it must not go round for ever.
const maxReclaims = 3

// RedisOptions configure a RedisStore. A nil *RedisOptions means all
// defaults.
type RedisOptions struct {
	// TTL is how long a finished job is kept (default 1h). Redis expires
	// it: every process sharing the store sees it go at the same time.
	TTL time.Duration
	// Lease is how long a running job stays with a worker that stopped
	// renewing it (it died, or lost Redis) before another worker takes it
	// over (default 30s). Workers renew their jobs every Lease/3.
	Lease time.Duration
	// Prefix starts every key and channel the store uses (default
	// "subagent:"); processes share jobs when they share the prefix.
	Prefix string
	// Logger receives what goes wrong in the background; nil discards.
	Logger *slog.Logger
}

// A RedisStore is a [Store] in Redis, shared by every process that opens
// it on the same server, database and prefix. See the package doc for how
// it queues, leases, cancels and expires jobs. It is safe for concurrent
// use; Close releases it.
type RedisStore struct {
	rdb      *redis.Client
	keys     redisKeys
	ttl      time.Duration
	lease    time.Duration
	poll     time.Duration // the longest blocking read, and the waiters' fallback poll
	consumer string
	logger   *slog.Logger
	sub      *redis.PubSub

	mu      sync.Mutex
	running map[string]*redisClaim            // by task id
	waiters map[string]map[chan struct{}]bool // by task id

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// redisKeys names what a store keeps in Redis.
type redisKeys struct {
	prefix string
	queue  string // stream of task ids to run, read by the consumer group
	group  string
	index  string // sorted set of every task id, scored by expiry (ms; +inf while open)
	ended  string // pub/sub channel: the id of each job that ends
}

func (k redisKeys) job(id string) string { return k.prefix + "job:" + id }

// NewRedisStore connects to the Redis at url, such as
// redis://127.0.0.1:6379/0 (rediss:// for TLS; a password as
// redis://:PASSWORD@HOST:PORT/DB), creates the queue's consumer group if
// it is missing and listens for jobs ending. It needs Redis 6.2 or later
// (for XAUTOCLAIM), standalone or behind Sentinel, not Cluster.
func NewRedisStore(ctx context.Context, url string, opts *RedisOptions) (*RedisStore, error) {
	var o RedisOptions
	if opts != nil {
		o = *opts
	}
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Prefix == "" {
		o.Prefix = DefaultRedisPrefix
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	ropts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("reading the Redis URL: %w", err)
	}
	ropts.DisableIdentity = true // CLIENT SETINFO is Redis 7.2's; older servers log an error
	rdb := redis.NewClient(ropts)
	p := o.Prefix
	s := &RedisStore{
		rdb:      rdb,
		keys:     redisKeys{prefix: p, queue: p + "queue", group: "workers", index: p + "jobs", ended: p + "ended"},
		ttl:      o.TTL,
		lease:    o.Lease,
		poll:     min(o.Lease/3, time.Second),
		consumer: consumerName(),
		logger:   o.Logger,
		running:  make(map[string]*redisClaim),
		waiters:  make(map[string]map[chan struct{}]bool),
	}
	if err := s.createGroup(ctx); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("connecting to Redis at %s: %w", ropts.Addr, err)
	}
	s.sub = rdb.Subscribe(ctx, s.keys.ended)
	if _, err := s.sub.Receive(ctx); err != nil { // the subscription's confirmation
		s.sub.Close()
		rdb.Close()
		return nil, fmt.Errorf("subscribing to %s: %w", s.keys.ended, err)
	}
	bg, stop := context.WithCancel(context.Background())
	s.stop = stop
	ch := s.sub.Channel()
	s.wg.Go(func() { s.listen(bg, ch) })
	return s, nil
}

// consumerName names this process in the consumer group: the host and
// pid say who it is in XINFO, the random part keeps a restarted process
// with the same pid from inheriting the pending jobs of the dead one.
func consumerName() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

func (s *RedisStore) createGroup(ctx context.Context) error {
	err := s.rdb.XGroupCreateMkStream(ctx, s.keys.queue, s.keys.group, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return err
	}
	return nil
}

// Close stops listening, leaves the consumer group when it holds no job,
// and closes the connections. Close the Services using the store first:
// they release their running jobs.
func (s *RedisStore) Close() error {
	s.stop()
	err := s.sub.Close()
	s.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if e := leaveScript.Run(ctx, s.rdb, []string{s.keys.queue}, s.keys.group, s.consumer).Err(); e != nil && !errors.Is(e, redis.Nil) {
		s.logger.Warn("leaving the consumer group", "consumer", s.consumer, "err", e)
	}
	return errors.Join(err, s.rdb.Close())
}

// listen tells the local workers and waiters of every job that ends.
func (s *RedisStore) listen(ctx context.Context, ch <-chan *redis.Message) {
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-ch:
			if !ok {
				return
			}
			s.ended(m.Payload)
		}
	}
}

// ended wakes the waiters of the job id, and stops its local worker: a job
// that ended while it ran here was cancelled, or ended by the worker that
// took it over.
func (s *RedisStore) ended(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.running[id]; c != nil {
		c.halt()
	}
	for w := range s.waiters[id] {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

// Submit implements [Queue].
func (s *RedisStore) Submit(ctx context.Context, id string, req Request) (Job, error) {
	created, err := submitScript.Run(ctx, s.rdb, []string{s.keys.job(id), s.keys.queue, s.keys.index},
		id, req.Message, req.System, req.Model).Text()
	if err != nil {
		return Job{}, fmt.Errorf("submitting job %s: %w", id, err)
	}
	return Job{TaskID: id, Status: Queued, Model: req.Model, Preview: preview(req.Message), CreatedAt: stampMicros(created)}, nil
}

// Claim implements [Queue]: it takes over a job whose lease expired, if
// any, else waits for a new one, reading the queue at most s.poll at a
// time so that it looks for expired leases again and sees ctx done.
func (s *RedisStore) Claim(ctx context.Context) (Claim, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, err := s.reclaim(ctx)
		if c != nil || err != nil {
			return c, err
		}
		streams, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: s.keys.group, Consumer: s.consumer, Streams: []string{s.keys.queue, ">"}, Count: 1, Block: s.poll,
		}).Result()
		switch {
		case errors.Is(err, redis.Nil):
			continue
		case err != nil && ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil && strings.Contains(err.Error(), "NOGROUP"):
			// The queue was deleted (FLUSHDB, a key eviction): make it again.
			if err := s.createGroup(ctx); err != nil {
				return nil, fmt.Errorf("creating the job queue again: %w", err)
			}
			continue
		case err != nil:
			return nil, fmt.Errorf("reading the job queue: %w", err)
		}
		for _, st := range streams {
			for _, m := range st.Messages {
				id, _ := m.Values["id"].(string)
				if c, err := s.claimDelivered(ctx, m.ID, id); c != nil || err != nil {
					return c, err
				}
			}
		}
	}
}

// claimDelivered claims the entry just delivered to this consumer even if
// ctx is done meanwhile (it is this consumer's now: left pending, no other
// worker would get it before the lease), then gives it back if ctx is done.
func (s *RedisStore) claimDelivered(ctx context.Context, entry, id string) (Claim, error) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	c, err := s.claim(wctx, entry, id)
	if c == nil || err != nil || ctx.Err() == nil {
		return c, err
	}
	if err := c.Release(wctx); err != nil {
		return nil, err
	}
	return nil, ctx.Err()
}

// claim marks the job id of the queue entry just read running here, or
// drops the entry if the job was cancelled meanwhile.
func (s *RedisStore) claim(ctx context.Context, entry, id string) (Claim, error) {
	token := newToken()
	c := s.track(id, token)
	fields, err := claimScript.Run(ctx, s.rdb, []string{s.keys.job(id), s.keys.queue}, s.keys.group, entry, token).StringSlice()
	if errors.Is(err, redis.Nil) {
		s.untrack(c)
		return nil, nil
	}
	if err != nil {
		s.untrack(c)
		return nil, fmt.Errorf("claiming job %s: %w", id, err)
	}
	return s.start(c, fields), nil
}

// reclaim takes over the oldest job whose lease expired, if any.
func (s *RedisStore) reclaim(ctx context.Context) (Claim, error) {
	token := newToken()
	fields, err := reclaimScript.Run(ctx, s.rdb, []string{s.keys.queue, s.keys.index}, s.keys.group, s.consumer,
		s.lease.Milliseconds(), token, s.keys.prefix, maxReclaims, s.ttl.Microseconds(), s.keys.ended,
		fmt.Sprintf("%d workers in turn stopped while running this job (killed, or crashed) before it ended; it is not run again", maxReclaims+1)).StringSlice()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("looking for jobs whose lease expired: %w", err)
	}
	c := s.track(fields[0], token)
	s.logger.Info("took over a job whose worker stopped renewing its lease", "task_id", fields[0], "lease", s.lease)
	return s.start(c, fields[1:]), nil
}

// track registers a claim about to be made, so that a job ending meanwhile
// stops it.
func (s *RedisStore) track(id, token string) *redisClaim {
	c := &redisClaim{s: s, id: id, token: token, stop: make(chan struct{})}
	s.mu.Lock()
	s.running[id] = c
	s.mu.Unlock()
	return c
}

func (s *RedisStore) untrack(c *redisClaim) {
	s.mu.Lock()
	if s.running[c.id] == c {
		delete(s.running, c.id)
	}
	s.mu.Unlock()
}

// start fills the claim's request from fields (message, system, model)
// and starts renewing its lease.
func (s *RedisStore) start(c *redisClaim, fields []string) Claim {
	c.req = Request{Message: fields[0], System: fields[1], Model: fields[2]}
	ctx, cancel := context.WithCancel(context.Background())
	c.renewing = cancel
	c.renewed.Add(1)
	go func() {
		defer c.renewed.Done()
		s.renew(ctx, c)
	}()
	return c
}

// renew renews c's lease every Lease/3 until ctx is done, and halts c when
// the job is no longer its own: cancelled (should the pub/sub message
// have been missed) or taken over.
func (s *RedisStore) renew(ctx context.Context, c *redisClaim) {
	t := time.NewTicker(s.lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		held, err := renewScript.Run(ctx, s.rdb, []string{s.keys.job(c.id), s.keys.queue}, s.keys.group, s.consumer, c.token).Int()
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.Warn("renewing a job's lease", "task_id", c.id, "err", err)
		case err == nil && held == 0:
			c.halt()
			return
		}
	}
}

// Get implements [Jobs].
func (s *RedisStore) Get(ctx context.Context, id string) (Job, bool, error) {
	h, err := s.rdb.HGetAll(ctx, s.keys.job(id)).Result()
	if err != nil {
		return Job{}, false, fmt.Errorf("reading job %s: %w", id, err)
	}
	if len(h) == 0 {
		return Job{}, false, nil
	}
	j := redisJob(h, true)
	return j, true, nil
}

// listFields are the fields of a job that List reads: all but the result.
var listFields = []string{"id", "message", "model", "status", "created", "started", "finished", "expires", "error"}

// List implements [Jobs].
func (s *RedisStore) List(ctx context.Context) ([]Job, error) {
	ids, err := s.rdb.ZRange(ctx, s.keys.index, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("listing the jobs: %w", err)
	}
	cmds := make([]*redis.SliceCmd, len(ids))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HMGet(ctx, s.keys.job(id), listFields...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the jobs: %w", err)
	}
	type listed struct {
		created int64
		job     Job
	}
	live := make([]listed, 0, len(ids))
	for _, cmd := range cmds {
		vals := cmd.Val()
		h := make(map[string]string, len(vals))
		for i, v := range vals {
			if s, ok := v.(string); ok {
				h[listFields[i]] = s
			}
		}
		if h["id"] == "" {
			continue // expired since ZRANGE, or before the janitor came
		}
		created, _ := strconv.ParseInt(h["created"], 10, 64)
		live = append(live, listed{created, redisJob(h, false)})
	}
	slices.SortFunc(live, func(a, b listed) int {
		if a.created != b.created {
			return int(a.created - b.created)
		}
		return strings.Compare(a.job.TaskID, b.job.TaskID)
	})
	out := make([]Job, len(live))
	for i, l := range live {
		out[i] = l.job
	}
	return out, nil
}

// Wait implements [Jobs]. It wakes on the job's end message, and reads the
// job every s.poll too, should a message be missed (pub/sub does not
// resend what a reconnecting subscriber missed).
func (s *RedisStore) Wait(ctx context.Context, id string) error {
	w := make(chan struct{}, 1)
	s.mu.Lock()
	if s.waiters[id] == nil {
		s.waiters[id] = make(map[chan struct{}]bool)
	}
	s.waiters[id][w] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.waiters[id], w)
		if len(s.waiters[id]) == 0 {
			delete(s.waiters, id)
		}
		s.mu.Unlock()
	}()
	t := time.NewTicker(s.poll)
	defer t.Stop()
	for {
		j, ok, err := s.Get(ctx, id)
		switch {
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			return err
		case !ok || j.Status.Final():
			return nil
		}
		select {
		case <-w:
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Cancel implements [Queue].
func (s *RedisStore) Cancel(ctx context.Context, id string) (Job, bool, error) {
	n, err := cancelScript.Run(ctx, s.rdb, []string{s.keys.job(id), s.keys.queue, s.keys.index},
		s.keys.group, s.ttl.Microseconds(), s.keys.ended, id, cancelledText).Int()
	if err != nil {
		return Job{}, false, fmt.Errorf("cancelling job %s: %w", id, err)
	}
	if n < 0 {
		return Job{}, false, nil
	}
	return s.Get(ctx, id)
}

// Evict removes the index entries of the jobs Redis expired, and returns
// how many it removed; the jobs themselves are already gone.
func (s *RedisStore) Evict(ctx context.Context) (int, error) {
	n, err := evictScript.Run(ctx, s.rdb, []string{s.keys.index}).Int()
	if err != nil {
		return 0, fmt.Errorf("evicting expired jobs: %w", err)
	}
	return n, nil
}

// A redisClaim is a job of a RedisStore run here.
type redisClaim struct {
	s     *RedisStore
	id    string
	token string // this claim's, in the job's owner field: a fencing token
	req   Request

	stop     chan struct{}
	halting  sync.Once
	renewing context.CancelFunc
	renewed  sync.WaitGroup
}

func (c *redisClaim) Job() (string, Request)   { return c.id, c.req }
func (c *redisClaim) Stopped() <-chan struct{} { return c.stop }
func (c *redisClaim) halt()                    { c.halting.Do(func() { close(c.stop) }) }

// done stops renewing the lease and forgets the claim locally.
func (c *redisClaim) done() {
	c.renewing()
	c.renewed.Wait()
	c.s.untrack(c)
}

func (c *redisClaim) End(ctx context.Context, o Outcome) error {
	c.done()
	var result string
	if o.Status == Completed && o.Result != nil {
		b, err := json.Marshal(o.Result)
		if err != nil {
			return fmt.Errorf("encoding the result of job %s: %w", c.id, err)
		}
		result = string(b)
	}
	s := c.s
	err := endScript.Run(ctx, s.rdb, []string{s.keys.job(c.id), s.keys.queue, s.keys.index},
		s.keys.group, c.token, string(o.Status), result, o.Error, s.ttl.Microseconds(), s.keys.ended, c.id).Err()
	if err != nil {
		return fmt.Errorf("ending job %s: %w", c.id, err)
	}
	return nil
}

func (c *redisClaim) Release(ctx context.Context) error {
	c.done()
	s := c.s
	if err := releaseScript.Run(ctx, s.rdb, []string{s.keys.job(c.id), s.keys.queue}, s.keys.group, c.token, c.id).Err(); err != nil {
		return fmt.Errorf("queueing job %s again: %w", c.id, err)
	}
	return nil
}

func newToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// redisJob turns a job's hash into a Job; full adds the result.
func redisJob(h map[string]string, full bool) Job {
	j := Job{
		TaskID:     h["id"],
		Status:     Status(h["status"]),
		Model:      h["model"],
		Preview:    preview(h["message"]),
		CreatedAt:  stampMicros(h["created"]),
		StartedAt:  stampMicros(h["started"]),
		FinishedAt: stampMicros(h["finished"]),
		ExpiresAt:  stampMicros(h["expires"]),
		Error:      h["error"],
	}
	if full && h["result"] != "" {
		var c Completion
		if err := json.Unmarshal([]byte(h["result"]), &c); err == nil {
			j.Result = &c
		}
	}
	return j
}

// stampMicros formats a time kept in Redis (microseconds since 1970, from
// Redis's own clock) as stamp does; empty stays empty.
func stampMicros(us string) string {
	n, err := strconv.ParseInt(us, 10, 64)
	if err != nil || n == 0 {
		return ""
	}
	return stamp(time.UnixMicro(n))
}
