package metrics

import (
	"strconv"
	"time"
)

// RequestServed counts one answered HTTP request. route is the matched route's pattern, never
// the raw path, so that ids in paths cannot multiply the series.
func (m *Metrics) RequestServed(method, route string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.durations.WithLabelValues(method, route).Observe(elapsed.Seconds())
}

// SocketClosed counts one dashboard socket ended with close code code.
func (m *Metrics) SocketClosed(code int) {
	if code < 1000 || code > 4999 {
		code = 0 // not a WebSocket close code; keeps the label a closed set
	}
	m.closes.WithLabelValues(strconv.Itoa(code)).Inc()
}

// ConnectionRefused counts one HTTP connection refused on arrival, the instance being full.
func (m *Metrics) ConnectionRefused() { m.connectionsRefused.Inc() }
