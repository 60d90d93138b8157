package component_test

import (
	"bytes"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/orderalert/orderalert/test/pgtest"
)

// scrape reads /metrics (checked against api/openapi.yaml like every answer) and parses it.
func (s *service) scrape(t *testing.T) metricSet {
	t.Helper()
	status, raw, err := s.send(t, http.MethodGet, "/metrics", nil, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("GET /metrics: %d %v", status, err)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("/metrics is not in the text exposition format: %v", err)
	}
	return families
}

// metricSet is one scrape, by family name.
type metricSet map[string]*dto.MetricFamily

// value is the value of the series name{labels} — a counter's or gauge's value, a histogram's
// sample count — and whether it exists.
func (m metricSet) value(name string, labels ...string) (float64, bool) {
	family, ok := m[name]
	if !ok {
		return 0, false
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	for _, metric := range family.GetMetric() {
		got := map[string]string{}
		for _, l := range metric.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		if !maps.Equal(got, want) {
			continue
		}
		switch {
		case metric.Counter != nil:
			return metric.GetCounter().GetValue(), true
		case metric.Gauge != nil:
			return metric.GetGauge().GetValue(), true
		case metric.Histogram != nil:
			return float64(metric.GetHistogram().GetSampleCount()), true
		}
	}
	return 0, false
}

// want fails unless name{labels} exists with value v.
func (m metricSet) want(t *testing.T, v float64, name string, labels ...string) {
	t.Helper()
	got, ok := m.value(name, labels...)
	if !ok {
		t.Errorf("%s%v is missing from /metrics", name, labels)
		return
	}
	if got != v {
		t.Errorf("%s%v = %v, want %v", name, labels, got, v)
	}
}

// scrapeUntil scrapes until cond holds (what a socket did is counted just after the client
// could see it), failing after 5 s.
func (s *service) scrapeUntil(t *testing.T, what string, cond func(metricSet) bool) metricSet {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		m := s.scrape(t)
		if cond(m) {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics never showed %s", what)
		}
	}
}

// TestMetricsCountRealTraffic: a payment and a reminder reach a dashboard, and /metrics says so
// with the named series — created and delivered by type, the latency of each delivery, the open
// socket and its close, and the requests by route pattern and status.
func TestMetricsCountRealTraffic(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		before := s.scrape(t)
		before.want(t, 0, "orderalert_alerts_created_total", "type", "1")
		before.want(t, 0, "orderalert_ws_connections")
		before.want(t, 0, "orderalert_ws_slow_consumer_closes_total", "cause", "queue_full")
		for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
			if _, ok := before[name]; !ok {
				t.Errorf("%s is missing: the Go and process collectors are not registered", name)
			}
		}

		admin, user := s.adminHeader(t), s.userHeader(t, 7)
		d := s.connect(t, admin, "metrics", -1)
		waitAttached(t, s, []*dashboard{d})
		o := s.submit(t, 7, "18")
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
		expect(t, s.call(t, http.MethodGet, "/user/order/reminder/"+strconv.FormatInt(o.ID, 10), user, nil), http.StatusOK, 1)
		expect(t, s.call(t, http.MethodGet, "/user/order/reminder/"+strconv.FormatInt(o.ID, 10), user, nil), http.StatusTooManyRequests, 0)
		if a, b := d.next(t, 5*time.Second), d.next(t, 5*time.Second); a.Type != 1 || b.Type != 2 {
			t.Fatalf("the dashboard got types %d and %d", a.Type, b.Type)
		}
		expect(t, s.call(t, http.MethodGet, "/user/order/orderDetail/1", nil, nil), http.StatusUnauthorized, 0)

		m := s.scrapeUntil(t, "both frames delivered", func(m metricSet) bool {
			v, _ := m.value("orderalert_delivery_latency_seconds")
			return v == 2
		})
		m.want(t, 1, "orderalert_alerts_created_total", "type", "1")
		m.want(t, 1, "orderalert_alerts_created_total", "type", "2")
		m.want(t, 1, "orderalert_ws_frames_delivered_total", "type", "1")
		m.want(t, 1, "orderalert_ws_frames_delivered_total", "type", "2")
		m.want(t, 1, "orderalert_ws_connections")
		m.want(t, 1, "orderalert_http_requests_total", "method", "PUT", "route", "/user/order/payment", "code", "200")
		// One series for every order id: the route's pattern, not the path.
		m.want(t, 1, "orderalert_http_requests_total", "method", "GET", "route", "/user/order/reminder/:id", "code", "200")
		m.want(t, 1, "orderalert_http_requests_total", "method", "GET", "route", "/user/order/reminder/:id", "code", "429")
		m.want(t, 1, "orderalert_http_requests_total", "method", "GET", "route", "/ws/:sid", "code", "101")
		m.want(t, 1, "orderalert_http_requests_total", "method", "GET", "route", "/user/*", "code", "401")
		m.want(t, 2, "orderalert_http_request_duration_seconds", "method", "GET", "route", "/user/order/reminder/:id")
		for _, f := range m["orderalert_http_requests_total"].GetMetric() {
			for _, l := range f.GetLabel() {
				if l.GetName() == "route" && slices.Contains([]string{"/user/order/reminder/" + strconv.FormatInt(o.ID, 10), "/ws/metrics"}, l.GetValue()) {
					t.Errorf("a raw path became a route label: %s", l.GetValue())
				}
			}
		}
		latency := m["orderalert_delivery_latency_seconds"].GetMetric()[0].GetHistogram()
		if sum := latency.GetSampleSum(); sum <= 0 || sum > 20 {
			t.Errorf("delivery latency sum %v s for two frames delivered at once", sum)
		}
		if n := len(latency.GetBucket()); n < 10 {
			t.Errorf("delivery latency has %d buckets", n)
		}

		_ = d.conn.WriteControl(8, []byte{0x03, 0xe8}, time.Now().Add(time.Second)) // a close, 1000
		d.closedWith(t, 5*time.Second)
		m = s.scrapeUntil(t, "the socket closed", func(m metricSet) bool {
			v, _ := m.value("orderalert_ws_connections")
			return v == 0
		})
		m.want(t, 1, "orderalert_ws_closes_total", "code", "1000")
	})
}

// TestAlertsCreatedAreCountedOnceAcrossInstances: two instances share a database; an alert
// created on B is delivered by both, but counted as created only by B, so that the sum over
// instances is the number of alerts.
func TestAlertsCreatedAreCountedOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := start(t, url, nil), start(t, url, nil)
	onA, onB := a.connect(t, a.adminHeader(t), "on-a", -1), b.connect(t, b.adminHeader(t), "on-b", -1)
	waitAttached(t, a, []*dashboard{onA})
	waitAttached(t, b, []*dashboard{onB})
	if err := b.payNewOrder(t, b.userHeader(t, 7)); err != nil {
		t.Fatal(err)
	}
	onA.next(t, 5*time.Second)
	onB.next(t, 5*time.Second)
	for name, s := range map[string]*service{"A": a, "B": b} {
		m := s.scrapeUntil(t, "the frame delivered on "+name, func(m metricSet) bool {
			v, _ := m.value("orderalert_ws_frames_delivered_total", "type", "1")
			return v == 1
		})
		created := map[string]float64{"A": 0, "B": 1}[name]
		m.want(t, created, "orderalert_alerts_created_total", "type", "1")
	}
}
