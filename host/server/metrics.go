package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/owulveryck/gomcptest/host/toolbox"
)

// metrics are the server's Prometheus metrics, in a registry of its own.
// Labels hold only bounded values: routes, served models, tool names,
// status codes; never what a client typed.
type metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec   // route, status
	latency   *prometheus.HistogramVec // route
	chat      *prometheus.HistogramVec // model, stream
	firstByte *prometheus.HistogramVec // model
	tokens    *prometheus.CounterVec   // model, direction
	toolCalls *prometheus.CounterVec   // tool, outcome
	toolTime  *prometheus.HistogramVec // tool
	streams   prometheus.Gauge
}

// Statuser is a toolbox that reports the state of its servers, as
// *toolbox.Toolbox does; /health and the restart metric use it.
type Statuser interface {
	Status() []toolbox.ServerStatus
}

func newMetrics(tools Toolbox) *metrics {
	const ns = "gomcptest"
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "http_requests_total",
			Help: "HTTP requests by route and status."}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "http_request_duration_seconds",
			Help: "Time to answer an HTTP request, to its last byte.", Buckets: prometheus.ExponentialBuckets(0.005, 4, 9)}, []string{"route"}),
		chat: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "chat_duration_seconds",
			Help: "Time to run a chat completion, the whole agent loop.", Buckets: prometheus.ExponentialBuckets(0.05, 3, 10)}, []string{"model", "stream"}),
		firstByte: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "chat_time_to_first_token_seconds",
			Help: "Time from a chat request to its first text, reasoning or tool call.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 10)}, []string{"model"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "chat_tokens_total",
			Help: "Tokens sent to (in) and received from (out) the model."}, []string{"model", "direction"}),
		toolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "tool_calls_total",
			Help: "Host tool calls by tool and outcome: ok, error (the tool failed) or refused (not run)."}, []string{"tool", "outcome"}),
		toolTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "tool_call_duration_seconds",
			Help: "Time a host tool call took.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}, []string{"tool"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "chat_streams_in_flight",
			Help: "Streamed chat completions being served."}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.chat, m.firstByte, m.tokens, m.toolCalls, m.toolTime, m.streams,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if st, ok := tools.(Statuser); ok {
		m.registry.MustRegister(restartCollector{st, prometheus.NewDesc(ns+"_mcp_server_restarts_total",
			"Restarts of each MCP server since the host started.", []string{"server"}, nil)})
	}
	return m
}

// Handler serves the metrics as Prometheus text.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// instrument counts the requests h serves, by the route pattern the mux
// matched (unmatched ones as "other").
func (m *metrics) instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "other"
		}
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// observeRun records what one chat completion did.
func (m *metrics) observeRun(r *response, model string, stream bool) {
	m.chat.WithLabelValues(model, strconv.FormatBool(stream)).Observe(time.Since(r.start).Seconds())
	if !r.first.IsZero() {
		m.firstByte.WithLabelValues(model).Observe(r.first.Sub(r.start).Seconds())
	}
	if r.usage != nil {
		m.tokens.WithLabelValues(model, "in").Add(float64(r.usage.PromptTokens))
		m.tokens.WithLabelValues(model, "out").Add(float64(r.usage.CompletionTokens))
	}
}

// observeTool records one host tool call.
func (m *metrics) observeTool(name string, took time.Duration, failed, refused bool) {
	outcome := "ok"
	switch {
	case refused:
		outcome = "refused"
	case failed:
		outcome = "error"
	}
	m.toolCalls.WithLabelValues(name, outcome).Inc()
	if !refused {
		m.toolTime.WithLabelValues(name).Observe(took.Seconds())
	}
}

// statusRecorder notes the status a handler answers with. Unwrap lets
// http.ResponseController reach the connection (flushes, deadlines).
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// restartCollector reads the restart counts from the toolbox at each
// scrape, so the toolbox needs no metrics of its own.
type restartCollector struct {
	tools Statuser
	desc  *prometheus.Desc
}

func (c restartCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c restartCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.tools.Status() {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(s.Restarts), s.Name)
	}
}
