package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// Delivered counts one live alert frame written to a socket and observes its latency. It is on
// the hub's hot path: a few atomic operations, on a child resolved once per kind (by_kind.go)
// and a histogram of our own (histogram.go says why), no allocation, no lookup.
func (m *Metrics) Delivered(t alert.Type, latency time.Duration) {
	m.delivered.inc(t)
	m.latency.observe(latency)
}

// Replayed counts one stored alert frame written to a socket that resumed.
func (m *Metrics) Replayed(t alert.Type) { m.delivered.inc(t) }

// SlowConsumer counts one socket closed as a slow consumer, for cause.
func (m *Metrics) SlowConsumer(cause application.SlowConsumerCause) {
	switch cause {
	case application.SlowQueueFull:
		m.slowQueueFull.Inc()
	case application.SlowWriteTimeout:
		m.slowWriteTimeout.Inc()
	}
}

// CountSockets exposes open() — the sockets the hub holds — as the gauge orderalert_ws_connections,
// read at each scrape.
func (m *Metrics) CountSockets(open func() int) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "ws", Name: "connections",
		Help: "Dashboard sockets open on this instance.",
	}, func() float64 { return float64(open()) }))
}
