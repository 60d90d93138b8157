package metrics

import "github.com/prometheus/client_golang/prometheus"

// Listener is the PostgreSQL listener's series. They exist only where there is a listener, so
// that an instance on SQLite does not report a listener that is down.
type Listener struct {
	connected  prometheus.Gauge
	reconnects prometheus.Counter
}

// Listener registers the listener's series and returns their observer; call it once.
func (m *Metrics) Listener() *Listener {
	l := &Listener{
		connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "listener", Name: "connected",
			Help: "1 while the PostgreSQL LISTEN connection that wakes this instance for other instances' alerts is up, else 0.",
		}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "listener", Name: "reconnects_total",
			Help: "Times the PostgreSQL LISTEN connection came back after it was lost.",
		}),
	}
	m.registry.MustRegister(l.connected, l.reconnects)
	return l
}

// ListenerConnected records the listener up; reconnect is false for its first connection.
func (l *Listener) ListenerConnected(reconnect bool) {
	l.connected.Set(1)
	if reconnect {
		l.reconnects.Inc()
	}
}

// ListenerDisconnected records the listener down.
func (l *Listener) ListenerDisconnected() { l.connected.Set(0) }
