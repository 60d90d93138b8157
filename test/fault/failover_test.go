package fault

import (
	"strings"
	"testing"
	"time"
)

// TestKillingOneOfTwoInstancesLosesNothing: two instances on one PostgreSQL database, the
// dashboards spread over both, payments and reminders through both; instance A is killed with
// SIGKILL. Its dashboards reconnect to B with lastAlertId, the writers carry on through B, and
// every dashboard gets every alert.
func TestKillingOneOfTwoInstancesLosesNothing(t *testing.T) {
	ctx := bounded(t)
	db := postgresDatabase(t)
	a, b := newInstance(t, db), newInstance(t, db)
	a.Start()
	b.Start()
	tok := mintTokens(t, ctx, b)
	dashboards := openDashboards(t, tok, dashboardsN, true, a.Base(), b.Base())
	onA := 0
	for _, d := range dashboards {
		if d.openSocket().base == a.Base() {
			onA++
		}
	}
	if onA == 0 || onA == len(dashboards) {
		t.Fatalf("%d of %d dashboards on A: not spread over both instances", onA, len(dashboards))
	}
	tr := startTraffic(ctx, tok.user, writers, alertsPerS, a.Base(), b.Base())
	t.Cleanup(tr.stop)

	pause(ctx, loadPhase)
	a.Kill()
	killed := time.Now()
	t.Logf("A (%s) killed with SIGKILL after %s of load; %d dashboards were on it", a.Addr, loadPhase, onA)
	pause(ctx, loadPhase)
	tr.stop()

	calls := tr.snapshot()
	requireSuccessAfter(t, calls, killed, b.Base())
	s := checkDelivery(t, ctx, db, calls, dashboards)
	checkOrders(t, s)
	for _, d := range dashboards {
		sockets := d.socketsSnapshot()
		if last := sockets[len(sockets)-1]; last.base != b.Base() {
			t.Errorf("dashboard %s ended on %s, want B", d.sid, strings.TrimPrefix(last.base, "http://"))
		}
	}
	if t.Failed() {
		t.Logf("output of A:\n%s\noutput of B:\n%s", a.Log, b.Log)
	}
}
