package metrics

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// latencyHistogram is a classic Prometheus histogram whose observe is smaller than
// client_golang's: a search over integer bounds and two atomic adds. The hub calls it from
// protoactor's mailbox goroutines, which are started afresh for each burst of messages with a
// small stack; client_golang's histogram.observe needs more, and in BenchmarkFanOut copying
// the grown stacks took a third of the hub's CPU. It is exposed exactly like a client_golang
// histogram (_bucket, _sum, _count).
type latencyHistogram struct {
	desc   *prometheus.Desc
	bounds []time.Duration // upper bounds, ascending
	counts []atomic.Uint64 // per bucket, not cumulative; the last one is +Inf
	sum    atomic.Int64    // nanoseconds
}

var _ prometheus.Collector = (*latencyHistogram)(nil)

func newLatencyHistogram(name, help string, bucketsSeconds []float64) *latencyHistogram {
	h := &latencyHistogram{
		desc:   prometheus.NewDesc(name, help, nil, nil),
		bounds: make([]time.Duration, len(bucketsSeconds)),
		counts: make([]atomic.Uint64, len(bucketsSeconds)+1),
	}
	for i, s := range bucketsSeconds {
		h.bounds[i] = time.Duration(s * float64(time.Second))
	}
	return h
}

// observe records one duration; a negative one (clocks of two instances apart) counts as 0.
func (h *latencyHistogram) observe(d time.Duration) {
	d = max(d, 0)
	i := 0
	for i < len(h.bounds) && d > h.bounds[i] {
		i++
	}
	h.counts[i].Add(1)
	h.sum.Add(int64(d))
}

// Describe implements prometheus.Collector.
func (h *latencyHistogram) Describe(ch chan<- *prometheus.Desc) { ch <- h.desc }

// Collect implements prometheus.Collector. Buckets and count are read one by one while
// observations go on; the count is their sum, so the two always agree.
func (h *latencyHistogram) Collect(ch chan<- prometheus.Metric) {
	buckets := make(map[float64]uint64, len(h.bounds))
	var cumulative uint64
	for i, bound := range h.bounds {
		cumulative += h.counts[i].Load()
		buckets[bound.Seconds()] = cumulative
	}
	count := cumulative + h.counts[len(h.bounds)].Load()
	ch <- prometheus.MustNewConstHistogram(h.desc, count, time.Duration(h.sum.Load()).Seconds(), buckets)
}
