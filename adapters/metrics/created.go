package metrics

import (
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// CountCreated wraps the feed waker that the use cases call after their commit, counting each
// alert there: once, on the instance that created it, when it is durable. Counting where the
// ordered feed reads the log instead would count every alert once per instance.
func (m *Metrics) CountCreated(next application.AlertFeedWaker) application.AlertFeedWaker {
	return countingWaker{next: next, metrics: m}
}

type countingWaker struct {
	next    application.AlertFeedWaker
	metrics *Metrics
}

// Committed implements application.AlertFeedWaker.
func (b countingWaker) Committed(a alert.Alert) {
	if !a.IsEvent() { // an ack's event is counted as an ack (acks.go)
		b.metrics.created.inc(a.Type)
	}
	b.next.Committed(a)
}
