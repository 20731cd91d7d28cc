package subagent

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is an Observer that counts a Service's jobs for Prometheus, in a
// registry of its own; Handler serves them. The sub-agent binary serves
// them at /metrics when it serves HTTP.
type Metrics struct {
	registry  *prometheus.Registry
	submitted prometheus.Counter
	running   prometheus.Gauge
	ended     *prometheus.CounterVec
	took      prometheus.Histogram
}

// NewMetrics returns Metrics with every counter at zero.
func NewMetrics() *Metrics {
	const ns = "gomcptest_subagent"
	m := &Metrics{
		registry:  prometheus.NewRegistry(),
		submitted: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "jobs_submitted_total", Help: "Background jobs submitted through this process."}),
		running:   prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "jobs_running", Help: "Background jobs this process is running."}),
		ended: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "jobs_ended_total",
			Help: "Background jobs this process ran, by how they ended (queued: handed back at shutdown)."}, []string{"status"}),
		took: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "job_duration_seconds",
			Help: "Time a background job ran.", Buckets: prometheus.ExponentialBuckets(0.05, 3, 10)}),
	}
	m.registry.MustRegister(m.submitted, m.running, m.ended, m.took)
	return m
}

// Submitted implements Observer.
func (m *Metrics) Submitted() { m.submitted.Inc() }

// Started implements Observer.
func (m *Metrics) Started() { m.running.Inc() }

// Ended implements Observer.
func (m *Metrics) Ended(status Status, took time.Duration) {
	m.running.Dec()
	m.ended.WithLabelValues(string(status)).Inc()
	m.took.Observe(took.Seconds())
}

// Handler serves the metrics as Prometheus text.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}
