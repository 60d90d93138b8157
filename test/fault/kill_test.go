package fault

import (
	"testing"
	"time"
)

// TestKill9UnderLoadLosesNothing: `orderalert serve` is killed with SIGKILL in the middle of a
// steady stream of payments and reminders and started again on the same database; the
// dashboards reconnect with lastAlertId and between them miss nothing.
func TestKill9UnderLoadLosesNothing(t *testing.T) {
	for name, open := range map[string]func(*testing.T) database{"SQLite": sqliteDatabase, "PostgreSQL": postgresDatabase} {
		t.Run(name, func(t *testing.T) {
			ctx := bounded(t)
			db := open(t)
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
			requireSuccessAfter(t, calls, killed, srv.Base())
			s := checkDelivery(t, ctx, db, calls, dashboards)
			checkOrders(t, s)
			if t.Failed() {
				t.Logf("server output:\n%s", srv.Log)
			}
		})
	}
}
