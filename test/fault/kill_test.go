package fault

import (
	"fmt"
	"testing"
	"time"
)

// Figures of the load the tests put on the service.
const (
	writers     = 4
	alertsPerS  = 20 // payments and reminders a second, all writers together
	loadPhase   = 1500 * time.Millisecond
	downtime    = 500 * time.Millisecond
	dashboardsN = 4
)

// openDashboards opens n dashboards, every other one with a ticket or the token header, each
// trying the instances in the order given; with spread, the second pair starts with the next
// instance, and so on, so that each instance gets both kinds of dashboards.
func openDashboards(t *testing.T, tok tokens, n int, spread bool, bases ...string) []*dashboard {
	t.Helper()
	ctx := bounded(t)
	var ds []*dashboard
	for i := range n {
		order := bases
		if spread {
			first := (i / 2) % len(bases)
			order = append(append([]string(nil), bases[first:]...), bases[:first]...)
		}
		d := openDashboard(ctx, dashboardConfig{sid: fmt.Sprintf("dash-%d", i), useTicket: i%2 == 0, token: tok.admin, bases: order})
		t.Cleanup(d.stop)
		ds = append(ds, d)
	}
	waitConnected(t, ctx, ds...)
	return ds
}

// TestKill9UnderLoadLosesNothing: `orderalert serve` is killed with SIGKILL in the middle of a
// steady stream of payments and reminders and started again on the same database; the
// dashboards reconnect with lastAlertId and between them miss nothing.
func TestKill9UnderLoadLosesNothing(t *testing.T) {
	for _, db := range []func(*testing.T) database{sqliteDatabase, postgresDatabase} {
		db := db(t)
		t.Run(db.name, func(t *testing.T) {
			ctx := bounded(t)
			srv := newInstance(t, db)
			srv.Start()
			tok := mintTokens(t, ctx, srv)
			dashboards := openDashboards(t, tok, dashboardsN, false, srv.Base())
			tr := startTraffic(ctx, tok.user, writers, alertsPerS, srv.Base())
			t.Cleanup(tr.stop)

			pause(ctx, loadPhase)
			srv.Kill()
			killed := time.Now()
			pause(ctx, downtime)
			srv.Start()
			t.Logf("killed with SIGKILL after %s of load; serving again %s later", loadPhase, time.Since(killed).Round(time.Millisecond))
			pause(ctx, loadPhase)
			tr.stop()

			calls := tr.snapshot()
			s := checkDelivery(t, ctx, db, calls, dashboards)
			checkOrders(t, s)
			if t.Failed() {
				t.Logf("server output:\n%s", srv.Log)
			}
		})
	}
}
