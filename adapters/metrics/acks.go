package metrics

import (
	"context"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

var _ application.AckObserver = (*Metrics)(nil)

// ackWaitBuckets span a person's reaction, from a second at a staffed counter to half an hour
// (an alert nobody saw, escalated long before).
var ackWaitBuckets = []float64{1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800}

// Acknowledged implements application.AckObserver: how long a shop's alert waited for a person.
func (m *Metrics) Acknowledged(a alert.Alert) {
	if a.Ack == nil || a.CreatedAt.IsZero() {
		return
	}
	m.ackWait.Observe(max(a.Ack.At.Sub(a.CreatedAt), 0).Seconds())
}

// openCountTimeout bounds the query behind the open-alert gauge, so that a slow database cannot
// hold a scrape; a failed count reads as NaN, which Prometheus keeps as "no value".
const openCountTimeout = 2 * time.Second

// CountOpenAlerts exposes count — the alerts nobody has acknowledged, in every shop — as the
// gauge orderalert_alerts_open, read at each scrape. Every instance reports the same number.
func (m *Metrics) CountOpenAlerts(count func(context.Context) (int64, error)) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "alerts_open",
		Help: "Alerts of every shop that nobody has acknowledged yet (the same on every instance: read from the database).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), openCountTimeout)
		defer cancel()
		n, err := count(ctx)
		if err != nil {
			return math.NaN()
		}
		return float64(n)
	}))
}
