package subagent

import (
	"context"
	"errors"
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
	// TTL is how long a finished job's result is kept (default 1h).
	TTL time.Duration
	// CleanupInterval is the time between two evictions of expired jobs
	// (default 1m).
	CleanupInterval time.Duration
	// MaxJobs caps the background jobs running at once; more wait, queued
	// (default 16).
	MaxJobs int
	// RequestTimeout bounds each request to the endpoint (default 5m).
	RequestTimeout time.Duration
	// ProgressInterval is the time between two progress notifications of
	// a synchronous send (default 1s).
	ProgressInterval time.Duration
	// HTTPClient sends every request: the seam for recording and
	// replaying. Nil means a client of its own.
	HTTPClient *http.Client
	// Now is the clock of the store (default time.Now).
	Now func() time.Time
	// Logger receives a line per job; nil discards.
	Logger *slog.Logger
}

// A Service sends messages to an endpoint, now or in the background, and
// keeps the background jobs. It is safe for concurrent use. Close stops it.
type Service struct {
	ep       Endpoint
	client   *client
	store    *Store
	slots    chan struct{}
	progress time.Duration
	ttl      time.Duration
	logger   *slog.Logger

	bg   context.Context // ends at Close
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// New returns a Service for ep and starts its janitor.
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
	s := &Service{
		ep:       ep,
		client:   newClient(ep, o.HTTPClient, o.RequestTimeout),
		store:    NewStore(o.TTL, o.Now),
		slots:    make(chan struct{}, o.MaxJobs),
		progress: o.ProgressInterval,
		ttl:      o.TTL,
		logger:   o.Logger,
	}
	s.bg, s.stop = context.WithCancel(context.Background())
	s.wg.Go(func() {
		s.store.Janitor(s.bg, o.CleanupInterval, func(n int) {
			s.logger.Debug("evicted expired jobs", "count", n)
		})
	})
	return s
}

// Store returns the service's jobs.
func (s *Service) Store() *Store { return s.store }

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

// errStopped ends the jobs still open when the service closes.
var errStopped = errors.New("the sub-agent server stopped")

// Submit starts req in the background and returns the queued job at once.
// The job runs when one of the MaxJobs slots is free.
func (s *Service) Submit(req Request) Job {
	ctx, cancel := context.WithCancelCause(s.bg)
	j := &job{id: uuid.NewString(), req: s.defaults(req), status: Queued, done: make(chan struct{}),
		cancel: func() { cancel(context.Canceled) }}
	s.store.add(j)
	snap := j.snapshot(s.ttl, false) // before the job can change
	s.wg.Go(func() {
		defer cancel(nil)
		s.run(ctx, j)
	})
	return snap
}

func (s *Service) run(ctx context.Context, j *job) {
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		s.ended(ctx, j, nil, ctx.Err())
		return
	}
	if !s.store.start(j) {
		return // cancelled while queued
	}
	res, err := s.client.complete(ctx, j.req)
	s.ended(ctx, j, res, err)
}

// ended records how j ended: with res, with err, or cancelled (ctx done).
func (s *Service) ended(ctx context.Context, j *job, res *Completion, err error) {
	status, text := Completed, ""
	switch {
	case ctx.Err() != nil && s.bg.Err() != nil:
		status, text = Cancelled, errStopped.Error()
	case ctx.Err() != nil:
		status, text = Cancelled, "cancelled by sub_agent_cancel"
	case err != nil:
		status, text, res = Failed, err.Error(), nil
	}
	s.store.finish(j, status, res, text)
	s.logger.Info("job ended", "task_id", j.id, "model", j.req.Model, "status", status, "err", text)
}

// Close cancels the open jobs, stops the janitor and waits for them.
func (s *Service) Close() {
	s.stop()
	s.wg.Wait()
}
