package metrics

import (
	"strconv"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderalert/orderalert/domain/alert"
)

// byKind is a counter labelled by alert kind code. Kinds are data (an operator creates them
// without a deploy), so a code's child is resolved on its first use and kept: on the hot path a
// count is one atomic load and one add, with no lookup and no allocation. Codes are 1–99, which
// bounds the label's values; an event (type 0: an ack) counts as "event", anything else "other".
type byKind struct {
	vec      *prometheus.CounterVec
	children [alert.MaxCustomCode + 1]atomic.Pointer[prometheus.Counter]
}

func newByKind(vec *prometheus.CounterVec) *byKind {
	k := &byKind{vec: vec}
	// The built-in kinds are listed from the start, so that dashboards see them at zero.
	k.child(alert.TypeNewOrder)
	k.child(alert.TypeReminder)
	return k
}

func (k *byKind) inc(t alert.Type) { k.child(t).Inc() }

func (k *byKind) child(t alert.Type) prometheus.Counter {
	if t < alert.TypeEvent || t > alert.MaxCustomCode {
		return k.vec.WithLabelValues("other") // never written by orderalert itself
	}
	if c := k.children[t].Load(); c != nil {
		return *c
	}
	label := strconv.Itoa(int(t))
	if t == alert.TypeEvent {
		label = "event"
	}
	// Two first uses at once resolve the same child: WithLabelValues is idempotent.
	c := k.vec.WithLabelValues(label)
	k.children[t].Store(&c)
	return c
}
