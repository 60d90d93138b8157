package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/channel"
)

var _ application.EscalationObserver = (*Metrics)(nil)

// Escalated implements application.EscalationObserver.
func (m *Metrics) Escalated(reason string) { m.escalated.WithLabelValues(reason).Inc() }

// Attempted implements application.EscalationObserver: an attempt sent, retried or failed for
// good, by channel kind.
func (m *Metrics) Attempted(kind channel.Kind, outcome application.AttemptOutcome) {
	switch outcome {
	case application.AttemptSent:
		m.escalationsSent.WithLabelValues(string(kind)).Inc()
	default:
		m.escalationsFailed.WithLabelValues(string(kind), failureName(outcome)).Inc()
	}
}

func failureName(o application.AttemptOutcome) string {
	switch o {
	case application.AttemptRetry:
		return "retry"
	case application.AttemptRetryWindow:
		return "rate_limited"
	default:
		return "permanent"
	}
}

func newEscalationSeries() (escalated, sent, failed *prometheus.CounterVec) {
	escalated = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "escalations_total",
		Help: "Alerts escalated by this instance, by reason: unacknowledged or no_screen.",
	}, []string{"reason"})
	sent = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "escalations_sent_total",
		Help: "Escalation messages delivered to a channel by this instance, by channel kind.",
	}, []string{"kind"})
	failed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "escalations_failed_total",
		Help: "Escalation attempts that failed, by channel kind and what follows: retry, rate_limited (again after the window) or permanent (never again).",
	}, []string{"kind", "outcome"})
	for _, k := range []channel.Kind{channel.Webhook, channel.WeCom, channel.DingTalk, channel.Feishu} {
		sent.WithLabelValues(string(k))
	}
	for _, r := range []string{application.ReasonUnacknowledged, application.ReasonNoScreen} {
		escalated.WithLabelValues(r)
	}
	return escalated, sent, failed
}
