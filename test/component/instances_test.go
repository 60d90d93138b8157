package component_test

import (
	"net/http"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/test/pgtest"
)

// withoutFeedTimer leaves NOTIFY as the only way an instance learns of another's alerts.
var withoutFeedTimer = fx.Decorate(func(c hub.Config) hub.Config {
	c.FeedInterval = time.Hour
	return c
})

// TestAnotherInstancesAlertArrivesThroughNotify: two instances on one PostgreSQL database; an
// alert created on B reaches a socket on A, woken by LISTEN/NOTIFY alone (the feed's timer is
// off here), well within a second.
func TestAnotherInstancesAlertArrivesThroughNotify(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a := start(t, url, nil, withoutFeedTimer)
	b := start(t, url, nil, withoutFeedTimer)
	onA := a.connect(t, a.adminHeader(t), "on-a", -1)
	waitAttached(t, a, []*dashboard{onA})
	for i := range 3 {
		began := time.Now()
		if err := b.payNewOrder(t, b.userHeader(t, 7)); err != nil {
			t.Fatal(err)
		}
		f := onA.next(t, 5*time.Second)
		t.Logf("alert %d from B reached A %s after B's call began", f.ID, time.Since(began))
		if f.Type != 1 {
			t.Fatalf("frame %d = %+v", i, f)
		}
	}
}

// TestAlertsSurviveAListenerOutage: the listeners' backends are terminated; alerts created right
// then (their NOTIFY may be lost) still reach the sockets on both instances, once each, because
// each feed reads the log after its cursor at least every second.
func TestAlertsSurviveAListenerOutage(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := start(t, url, nil), start(t, url, nil)
	onA, onB := a.connect(t, a.adminHeader(t), "on-a", -1), b.connect(t, b.adminHeader(t), "on-b", -1)
	waitAttached(t, a, []*dashboard{onA})
	waitAttached(t, b, []*dashboard{onB})
	var terminated int
	if err := a.db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`).Scan(t.Context(), &terminated); err != nil {
		t.Fatal(err)
	}
	if terminated != 2 {
		t.Fatalf("terminated %d listener backends, want 2", terminated)
	}
	user := b.userHeader(t, 7)
	for range 5 {
		if err := b.payNewOrder(t, user); err != nil {
			t.Fatal(err)
		}
	}
	want := a.alerts(t, a.adminHeader(t))
	for name, d := range map[string]*dashboard{"A": onA, "B": onB} {
		for _, w := range want {
			if got := d.next(t, 5*time.Second); got != w {
				t.Fatalf("socket on %s got %+v, want %+v", name, got, w)
			}
		}
		d.quiet(t, 1500*time.Millisecond)
	}
	expect(t, a.call(t, http.MethodGet, "/readyz", nil, nil), http.StatusOK, 1)
	for _, s := range []*service{a, b} {
		s.scrapeUntil(t, "the listener's reconnect", func(m metricSet) bool {
			v, _ := m.value("orderalert_listener_reconnects_total")
			return v == 1
		})
	}
}
