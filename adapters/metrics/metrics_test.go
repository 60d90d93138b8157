package metrics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/orderalert/orderalert/adapters/metrics"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

type nobody struct{}

func (nobody) Committed(alert.Alert) {}

func TestEveryEventLandsInItsSeries(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	l := m.Listener()
	m.CountSockets(func() int { return 3 })
	created := m.CountCreated(nobody{})
	created.Committed(alert.Alert{Type: alert.TypeNewOrder})
	created.Committed(alert.Alert{Type: alert.TypeReminder})
	created.Committed(alert.Alert{Type: alert.TypeReminder})
	created.Committed(alert.Alert{Type: 10}) // a kind an operator created: labelled by its code
	at := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	acked := alert.Alert{Type: alert.TypeNewOrder, CreatedAt: at, Ack: &alert.Ack{At: at.Add(45 * time.Second)}}
	created.Committed(alert.AckEvent(acked, *acked.Ack)) // an ack's event is no created alert
	m.Acknowledged(acked)
	m.CountOpenAlerts(func(context.Context) (int64, error) { return 2, nil })
	m.Delivered(alert.TypeEvent, time.Millisecond)
	m.Delivered(alert.TypeNewOrder, 3*time.Millisecond)
	m.Delivered(alert.TypeReminder, 30*time.Millisecond)
	m.Delivered(alert.TypeNewOrder, 10*time.Second) // on the bound: le="10"
	m.Delivered(alert.TypeNewOrder, 65*time.Second)
	m.Delivered(alert.TypeNewOrder, -time.Second) // clocks of two instances apart: 0
	m.Replayed(alert.TypeReminder)
	m.Replayed(10)
	m.SlowConsumer(application.SlowWriteTimeout)
	m.SocketClosed(4008)
	m.SocketClosed(70000)
	l.ListenerConnected(false)
	l.ListenerDisconnected()
	l.ListenerConnected(true)

	want := `
# HELP orderalert_alerts_created_total Alerts committed by this instance, by kind code (1 new order, 2 reminder, 3–99 created by operators). Summed over instances, every alert once.
# TYPE orderalert_alerts_created_total counter
orderalert_alerts_created_total{type="1"} 1
orderalert_alerts_created_total{type="10"} 1
orderalert_alerts_created_total{type="2"} 2
# HELP orderalert_ws_frames_delivered_total Alert and event frames written to dashboard sockets of this instance, live and replayed, by alert kind code ("event" for ack events).
# TYPE orderalert_ws_frames_delivered_total counter
orderalert_ws_frames_delivered_total{type="1"} 4
orderalert_ws_frames_delivered_total{type="10"} 1
orderalert_ws_frames_delivered_total{type="2"} 2
orderalert_ws_frames_delivered_total{type="event"} 1
# HELP orderalert_alert_ack_wait_seconds Time from an alert's creation to its acknowledgement, per alert acknowledged on this instance.
# TYPE orderalert_alert_ack_wait_seconds histogram
orderalert_alert_ack_wait_seconds_bucket{le="1"} 0
orderalert_alert_ack_wait_seconds_bucket{le="2"} 0
orderalert_alert_ack_wait_seconds_bucket{le="5"} 0
orderalert_alert_ack_wait_seconds_bucket{le="10"} 0
orderalert_alert_ack_wait_seconds_bucket{le="20"} 0
orderalert_alert_ack_wait_seconds_bucket{le="30"} 0
orderalert_alert_ack_wait_seconds_bucket{le="60"} 1
orderalert_alert_ack_wait_seconds_bucket{le="120"} 1
orderalert_alert_ack_wait_seconds_bucket{le="300"} 1
orderalert_alert_ack_wait_seconds_bucket{le="600"} 1
orderalert_alert_ack_wait_seconds_bucket{le="1800"} 1
orderalert_alert_ack_wait_seconds_bucket{le="+Inf"} 1
orderalert_alert_ack_wait_seconds_sum 45
orderalert_alert_ack_wait_seconds_count 1
# HELP orderalert_alerts_open Alerts of every shop that nobody has acknowledged yet (the same on every instance: read from the database).
# TYPE orderalert_alerts_open gauge
orderalert_alerts_open 2
# HELP orderalert_delivery_latency_seconds Time from an alert's creation to its frame's successful write on a socket, per live frame (replayed frames are not observed).
# TYPE orderalert_delivery_latency_seconds histogram
orderalert_delivery_latency_seconds_bucket{le="0.001"} 2
orderalert_delivery_latency_seconds_bucket{le="0.0025"} 2
orderalert_delivery_latency_seconds_bucket{le="0.005"} 3
orderalert_delivery_latency_seconds_bucket{le="0.01"} 3
orderalert_delivery_latency_seconds_bucket{le="0.025"} 3
orderalert_delivery_latency_seconds_bucket{le="0.05"} 4
orderalert_delivery_latency_seconds_bucket{le="0.1"} 4
orderalert_delivery_latency_seconds_bucket{le="0.25"} 4
orderalert_delivery_latency_seconds_bucket{le="0.5"} 4
orderalert_delivery_latency_seconds_bucket{le="1"} 4
orderalert_delivery_latency_seconds_bucket{le="2.5"} 4
orderalert_delivery_latency_seconds_bucket{le="5"} 4
orderalert_delivery_latency_seconds_bucket{le="10"} 5
orderalert_delivery_latency_seconds_bucket{le="+Inf"} 6
orderalert_delivery_latency_seconds_sum 75.034
orderalert_delivery_latency_seconds_count 6
# HELP orderalert_ws_slow_consumer_closes_total Dashboard sockets closed as slow consumers (4008), by cause: queue_full or write_timeout.
# TYPE orderalert_ws_slow_consumer_closes_total counter
orderalert_ws_slow_consumer_closes_total{cause="queue_full"} 0
orderalert_ws_slow_consumer_closes_total{cause="write_timeout"} 1
# HELP orderalert_ws_closes_total Dashboard sockets ended, by the close code the server sent (1000 when the client left first).
# TYPE orderalert_ws_closes_total counter
orderalert_ws_closes_total{code="0"} 1
orderalert_ws_closes_total{code="4008"} 1
# HELP orderalert_ws_connections Dashboard sockets open on this instance.
# TYPE orderalert_ws_connections gauge
orderalert_ws_connections 3
# HELP orderalert_listener_connected 1 while the PostgreSQL LISTEN connection that wakes this instance for other instances' alerts is up, else 0.
# TYPE orderalert_listener_connected gauge
orderalert_listener_connected 1
# HELP orderalert_listener_reconnects_total Times the PostgreSQL LISTEN connection came back after it was lost.
# TYPE orderalert_listener_reconnects_total counter
orderalert_listener_reconnects_total 1
`
	names := []string{
		"orderalert_alerts_created_total", "orderalert_ws_frames_delivered_total", "orderalert_delivery_latency_seconds",
		"orderalert_ws_slow_consumer_closes_total", "orderalert_alert_ack_wait_seconds", "orderalert_alerts_open",
		"orderalert_ws_closes_total", "orderalert_ws_connections", "orderalert_listener_connected", "orderalert_listener_reconnects_total",
	}
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}

// TestSeriesFollowPrometheusConventions runs Prometheus's own linter (units, _total, help).
func TestSeriesFollowPrometheusConventions(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	m.Listener()
	m.CountSockets(func() int { return 0 })
	m.RequestServed("GET", "/healthz", 200, time.Millisecond)
	m.Delivered(alert.TypeNewOrder, time.Millisecond)
	problems, err := testutil.GatherAndLint(m.Registry())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "orderalert_") {
			t.Errorf("%s: %s", p.Metric, p.Text)
		}
	}
}

// TestADeliveryCostsNoAllocation: Delivered runs once per frame written.
func TestADeliveryCostsNoAllocation(t *testing.T) {
	m := metrics.New()
	if n := testing.AllocsPerRun(1000, func() { m.Delivered(alert.TypeReminder, 4*time.Millisecond) }); n != 0 {
		t.Errorf("Delivered allocates %v times per call", n)
	}
}

func BenchmarkDelivered(b *testing.B) {
	m := metrics.New()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Delivered(alert.TypeNewOrder, 4*time.Millisecond)
		}
	})
}

// BenchmarkDeliveredWithClock is what the hub adds per frame: a clock reading and Delivered.
func BenchmarkDeliveredWithClock(b *testing.B) {
	m := metrics.New()
	created := time.Now()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Delivered(alert.TypeNewOrder, time.Since(created))
		}
	})
}
