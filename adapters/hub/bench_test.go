package hub_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/shop"
)

// countingSocket is the leanest faithful transport: it takes the frame and counts it, so the
// benchmark measures the hub (the manager's fan-out, the children's mailboxes) and not a kernel.
type countingSocket struct{ frames *atomic.Int64 }

func (s countingSocket) Send(f ...[]byte) error      { s.frames.Add(int64(len(f))); return nil }
func (countingSocket) Ping() error                   { return nil }
func (countingSocket) Close(application.CloseReason) {}

// BenchmarkFanOut broadcasts one alert at a time to 1k and 10k child actors and waits until
// every child has handled it: ns/op is one alert's fan-out, ns/op ÷ sockets the cost per frame.
// (What the metrics observer adds per frame is adapters/metrics' BenchmarkDeliveredWithClock.)
func BenchmarkFanOut(b *testing.B) {
	for _, sockets := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("sockets=%d", sockets), func(b *testing.B) { benchmarkFanOut(b, sockets) })
	}
}

func benchmarkFanOut(b *testing.B, sockets int) {
	f := newFixture(b)
	frames := new(atomic.Int64)
	var handlers []attached
	for i := range sockets {
		d, err := f.hub.Attach(countingSocket{frames}, application.DashboardOptions{Shops: shop.Everything(), SID: fmt.Sprint("s", i)})
		if err != nil {
			b.Fatal(err)
		}
		handlers = append(handlers, attached{detach: d})
	}
	eventually(b, "sockets attached", func() bool { return f.hub.Len() == sockets })
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		f.ring(b)
		want := int64((i + 1) * sockets)
		for frames.Load() < want {
			time.Sleep(50 * time.Microsecond)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sockets), "ns/frame")
	for _, h := range handlers {
		h.detach()
	}
	_ = f.hub.Stop(b.Context())
}

// BenchmarkFanOutManyShops is one alert at a time to one of 1,000 shops with 10 sockets each
// (10,000 child actors, each a shop employee's): ns/frame is what a frame costs when the other
// 9,990 sockets are not the alert's. Compare it with BenchmarkFanOut's sockets=10000, where every
// socket takes every alert.
func BenchmarkFanOutManyShops(b *testing.B) {
	const shops, perShop = 1_000, 10
	f := newFixture(b)
	frames := new(atomic.Int64)
	var handlers []func()
	for i := range shops * perShop {
		opts := application.DashboardOptions{Shops: shop.Only(int64(1 + i%shops)), AdminID: int64(1 + i%shops), SID: fmt.Sprint("s", i)}
		d, err := f.hub.Attach(countingSocket{frames}, opts)
		if err != nil {
			b.Fatal(err)
		}
		handlers = append(handlers, d)
	}
	eventually(b, "sockets attached", func() bool { return f.hub.Len() == shops*perShop })
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		f.ringOf(b, int64(1+i%shops), alert.TypeNewOrder)
		want := int64((i + 1) * perShop)
		for frames.Load() < want {
			time.Sleep(5 * time.Microsecond)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*perShop), "ns/frame")
	for _, d := range handlers {
		d()
	}
	_ = f.hub.Stop(b.Context())
}
