package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderalert/orderalert/application"
)

var _ application.PushObserver = (*Metrics)(nil)

// Pushed implements application.PushObserver: one push attempt, by outcome.
func (m *Metrics) Pushed(outcome application.PushOutcome) {
	m.pushes.WithLabelValues(application.PushOutcomeName(outcome)).Inc()
}

func newPushSeries() *prometheus.CounterVec {
	pushes := prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "pushes_total",
		Help: "Web Push attempts by this instance, by outcome: sent, retry, gone (the subscription was deleted) or failed (never again).",
	}, []string{"outcome"})
	for _, o := range []application.PushOutcome{application.PushSent, application.PushRetry, application.PushGone, application.PushFailed} {
		pushes.WithLabelValues(application.PushOutcomeName(o))
	}
	return pushes
}
