package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/orderalert/orderalert/application"
)

// namespace prefixes every series of the service.
const namespace = "orderalert"

// latencyBuckets span a delivery from 1 ms (a healthy socket on the same host) to 10 s (the write
// timeout: anything slower is a stalled socket about to be closed).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Metrics is the service's registry and every series of it.
type Metrics struct {
	registry *prometheus.Registry

	created   *byKind
	delivered *byKind
	latency   *latencyHistogram
	slow      *prometheus.CounterVec
	// The children of slow, resolved so that both series exist, at 0, from the start.
	slowQueueFull, slowWriteTimeout prometheus.Counter
	closes                          *prometheus.CounterVec
	requests                        *prometheus.CounterVec
	durations                       *prometheus.HistogramVec
	connectionsRefused              prometheus.Counter
	ackWait                         prometheus.Histogram
	escalated, escalationsSent      *prometheus.CounterVec
	escalationsFailed               *prometheus.CounterVec
	pushes                          *prometheus.CounterVec
}

// New builds the registry with the Go and process collectors and the service's series. It uses a
// registry of its own, not Prometheus's global default, so that nothing a library registers
// globally (protoactor's own meters, for one) leaks into the exposition, and tests can build many.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	created := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "alerts_created_total",
		Help: "Alerts committed by this instance, by kind code (1 new order, 2 reminder, 3–99 created by operators). Summed over instances, every alert once.",
	}, []string{"type"})
	delivered := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "ws", Name: "frames_delivered_total",
		Help: "Alert and event frames written to dashboard sockets of this instance, live and replayed, by alert kind code (\"event\" for ack events).",
	}, []string{"type"})
	m.created, m.delivered = newByKind(created), newByKind(delivered)
	m.latency = newLatencyHistogram(namespace+"_delivery_latency_seconds",
		"Time from an alert's creation to its frame's successful write on a socket, per live frame (replayed frames are not observed).",
		latencyBuckets)
	m.slow = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "ws", Name: "slow_consumer_closes_total",
		Help: "Dashboard sockets closed as slow consumers (4008), by cause: queue_full or write_timeout.",
	}, []string{"cause"})
	m.slowQueueFull, m.slowWriteTimeout = m.slow.WithLabelValues(string(application.SlowQueueFull)), m.slow.WithLabelValues(string(application.SlowWriteTimeout))
	m.closes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "ws", Name: "closes_total",
		Help: "Dashboard sockets ended, by the close code the server sent (1000 when the client left first).",
	}, []string{"code"})
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "http", Name: "requests_total",
		Help: "HTTP requests answered, by method, route pattern and status code.",
	}, []string{"method", "route", "code"})
	m.durations = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds", Buckets: latencyBuckets,
		Help: "Time to answer an HTTP request, by method and route pattern (a WebSocket's until its upgrade).",
	}, []string{"method", "route"})
	m.connectionsRefused = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "http", Name: "connections_refused_total",
		Help: "HTTP connections refused on arrival (503) because the instance served as many as it allows.",
	})
	m.ackWait = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "alert_ack_wait_seconds", Buckets: ackWaitBuckets,
		Help: "Time from an alert's creation to its acknowledgement, per alert acknowledged on this instance.",
	})
	m.escalated, m.escalationsSent, m.escalationsFailed = newEscalationSeries()
	m.pushes = newPushSeries()
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		created, delivered, m.latency, m.slow, m.closes, m.requests, m.durations, m.connectionsRefused, m.ackWait,
		m.escalated, m.escalationsSent, m.escalationsFailed, m.pushes,
	)
	return m
}

// Handler serves the registry in Prometheus's text exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Registry is the registry itself, for tests and further collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }
