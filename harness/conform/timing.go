package conform

import (
	"context"
	"time"
)

// measure times pings on the main session. Timing is reported, not
// judged: a slow server fails no check.
func (r *run) measure(ctx context.Context) {
	var ds []time.Duration
	for range r.opts.Samples {
		start := time.Now()
		m, err := r.primary.main.call(ctx, "ping", nil)
		if err != nil || m.Error != nil {
			break
		}
		ds = append(ds, time.Since(start))
	}
	if len(ds) > 0 {
		r.report.Timing.Ping = latency(ds)
	}
}
