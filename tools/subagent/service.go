package subagent

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Defaults of Options.
const (
	DefaultTTL             = time.Hour
	DefaultCleanupInterval = time.Minute
	DefaultMaxJobs         = 16
	DefaultRequestTimeout  = 5 * time.Minute
)

// Options configure a Service. A nil *Options means all defaults.
type Options struct {
	// Store keeps the jobs; nil means a MemoryStore of its own, kept for
	// TTL on the clock Now and closed by Close. A Store given here is the
	// caller's to close, after the Service.
	Store Store
	// TTL is how long a finished job's result is kept (default 1h); a
	// Store given in Store has its own, which TTL should repeat, since
	// the tools' messages quote it.
	TTL time.Duration
	// CleanupInterval is the time between two evictions of expired jobs
	// (default 1m).
	CleanupInterval time.Duration
	// MaxJobs caps the background jobs this Service runs at once; more
	// wait, queued (default 16). Services sharing a RedisStore each run
	// up to their MaxJobs.
	MaxJobs int
	// RequestTimeout bounds each request to the endpoint (default 5m).
	RequestTimeout time.Duration
	// ProgressInterval is the time between two progress notifications of
	// a synchronous send (default 1s).
	ProgressInterval time.Duration
	// HTTPClient sends every request: the seam for recording and
	// replaying. Nil means a client of its own.
	HTTPClient *http.Client
	// Now is the clock of the MemoryStore made when Store is nil (default
	// time.Now).
	Now func() time.Time
	// Logger receives a line per job; nil discards.
	Logger *slog.Logger
	// Observer, when set, hears of each job this Service submits, starts
	// and ends (the binary's /metrics uses it).
	Observer Observer
}

// An Observer hears what a Service's jobs do. Its methods must be safe for
// concurrent use and return at once.
type Observer interface {
	Submitted()
	Started()
	Ended(status Status, took time.Duration)
}

type noObserver struct{}

func (noObserver) Submitted()                  {}
func (noObserver) Started()                    {}
func (noObserver) Ended(Status, time.Duration) {}

// A Service sends messages to an endpoint, now or in the background, and
// runs background jobs from its Store, at most MaxJobs at once. It is
// safe for concurrent use. Close stops it.
type Service struct {
	ep       Endpoint
	client   *client
	store    Store
	own      *MemoryStore // the store made by New, closed by Close
	slots    chan struct{}
	progress time.Duration
	ttl      time.Duration
	logger   *slog.Logger
	observer Observer

	bg   context.Context // ends at Close
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// New returns a Service for ep and starts its workers and janitor.
func New(ep Endpoint, opts *Options) *Service {
	var o Options
	if opts != nil {
		o = *opts
	}
	if ep.BaseURL == "" {
		ep.BaseURL = DefaultBaseURL
	}
	if ep.Model == "" {
		ep.Model = DefaultModel
	}
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.CleanupInterval <= 0 {
		o.CleanupInterval = DefaultCleanupInterval
	}
	if o.MaxJobs <= 0 {
		o.MaxJobs = DefaultMaxJobs
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.ProgressInterval <= 0 {
		o.ProgressInterval = time.Second
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Observer == nil {
		o.Observer = noObserver{}
	}
	s := &Service{
		ep:       ep,
		client:   newClient(ep, o.HTTPClient, o.RequestTimeout),
		store:    o.Store,
		slots:    make(chan struct{}, o.MaxJobs),
		progress: o.ProgressInterval,
		ttl:      o.TTL,
		logger:   o.Logger,
		observer: o.Observer,
	}
	if s.store == nil {
		s.own = NewMemoryStore(o.TTL, o.Now)
		s.store = s.own
	}
	s.bg, s.stop = context.WithCancel(context.Background())
	s.wg.Go(s.dispatch)
	if ev, ok := s.store.(evicter); ok {
		s.wg.Go(func() { janitor(s.bg, ev, o.CleanupInterval, s.logger) })
	}
	return s
}

// Store returns the service's jobs.
func (s *Service) Store() Store { return s.store }

// Send sends req and waits for the answer.
func (s *Service) Send(ctx context.Context, req Request) (*Completion, error) {
	return s.client.complete(ctx, s.defaults(req))
}

func (s *Service) defaults(req Request) Request {
	if req.Model == "" {
		req.Model = s.ep.Model
	}
	return req
}

// Submit queues req in the store and returns the queued job at once. A
// worker of any Service sharing the store runs it when it has a free slot.
func (s *Service) Submit(ctx context.Context, req Request) (Job, error) {
	j, err := s.store.Submit(ctx, uuid.NewString(), s.defaults(req))
	if err == nil {
		s.observer.Submitted()
	}
	return j, err
}

// claimRetry is the pause before claiming again after the store failed.
const claimRetry = time.Second

// dispatch claims a job whenever a slot is free, and runs it, until Close.
func (s *Service) dispatch() {
	for {
		select {
		case s.slots <- struct{}{}:
		case <-s.bg.Done():
			return
		}
		c, err := s.store.Claim(s.bg)
		if err != nil {
			<-s.slots
			if s.bg.Err() != nil {
				return
			}
			s.logger.Warn("claiming a job", "err", err)
			select {
			case <-time.After(claimRetry):
			case <-s.bg.Done():
				return
			}
			continue
		}
		s.wg.Go(func() {
			defer func() { <-s.slots }()
			s.run(c)
		})
	}
}

// storeTimeout bounds a write to the store once a job's request is over,
// whether or not the Service is stopping.
const storeTimeout = 10 * time.Second

func (s *Service) run(c Claim) {
	id, req := c.Job()
	ctx, cancel := context.WithCancel(s.bg)
	defer cancel()
	go func() {
		select {
		case <-c.Stopped():
			cancel()
		case <-ctx.Done():
		}
	}()
	s.observer.Started()
	start := time.Now()
	res, err := s.client.complete(ctx, req)

	wctx, wcancel := context.WithTimeout(context.Background(), storeTimeout)
	defer wcancel()
	var o Outcome
	switch {
	case err != nil && s.bg.Err() != nil:
		if err := c.Release(wctx); err != nil {
			s.logger.Warn("releasing a job", "task_id", id, "err", err)
		}
		s.logger.Info("job released", "task_id", id, "model", req.Model)
		s.observer.Ended(Queued, time.Since(start)) // queued again, for another worker
		return
	case err != nil && isClosed(c.Stopped()):
		o = Outcome{Status: Cancelled, Error: cancelledText}
	case err != nil:
		o = Outcome{Status: Failed, Error: err.Error()}
	default:
		o = Outcome{Status: Completed, Result: res}
	}
	if err := c.End(wctx, o); err != nil {
		s.logger.Warn("recording how a job ended", "task_id", id, "err", err)
	}
	s.observer.Ended(o.Status, time.Since(start))
	s.logger.Info("job ended", "task_id", id, "model", req.Model, "status", o.Status, "err", o.Error)
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// janitor evicts expired jobs from st every interval until ctx is done.
func janitor(ctx context.Context, st evicter, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := st.Evict(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				logger.Warn("evicting expired jobs", "err", err)
			case n > 0:
				logger.Debug("evicted expired jobs", "count", n)
			}
		}
	}
}

// Close stops the workers: a job still running is released to the store
// (a MemoryStore ends it cancelled, a RedisStore queues it for another
// process). It waits for them, and closes the store New made.
func (s *Service) Close() {
	s.stop()
	s.wg.Wait()
	if s.own != nil {
		s.own.Close()
	}
}
