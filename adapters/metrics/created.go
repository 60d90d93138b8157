package metrics

import (
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// CountCreated wraps the broadcaster that the use cases call after their commit, counting each
// alert there: once, on the instance that created it, when it is durable. Counting where the
// ordered feed reads the log instead would count every alert once per instance.
func (m *Metrics) CountCreated(next application.AlertBroadcaster) application.AlertBroadcaster {
	return countingBroadcaster{next: next, metrics: m}
}

type countingBroadcaster struct {
	next    application.AlertBroadcaster
	metrics *Metrics
}

// Broadcast implements application.AlertBroadcaster.
func (b countingBroadcaster) Broadcast(a alert.Alert) {
	if a.Type.Valid() {
		b.metrics.created[a.Type].Inc()
	}
	b.next.Broadcast(a)
}
