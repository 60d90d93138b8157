package fault

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/adapters/persistence"
)

// The PostgreSQL outage: every backend of the test's database is terminated this often, for
// this long. The shared server itself is never restarted.
const (
	terminateEvery = 100 * time.Millisecond
	terminateFor   = 2 * time.Second
)

const unavailableMsg = "数据库暂时不可用，请稍后重试"

// TestPostgresBackendsTerminatedUnderLoad: two instances share one PostgreSQL database, both
// take payments and reminders and hold dashboards; for two seconds every backend of the
// database — pooled connections and LISTEN listeners — is terminated ten times a second. The
// API answers 503 with a clear msg meanwhile, never 500 and never hangs; no order is
// half-written and no failed call changed anything; the instances recover by themselves, the
// listeners reconnect, and every dashboard gets every alert.
func TestPostgresBackendsTerminatedUnderLoad(t *testing.T) {
	ctx := bounded(t)
	db := postgresDatabase(t)
	a, b := newInstance(t, db), newInstance(t, db)
	a.Start()
	b.Start()
	tok := mintTokens(t, ctx, a)
	dashboards := openDashboards(t, tok, dashboardsN, true, a.Base(), b.Base())
	// One more drops its socket every 200 ms, so that it resumes while the database flaps:
	// its ticket's use and its replay read the database.
	restless := openDashboard(ctx, dashboardConfig{sid: "restless", useTicket: true, token: tok.admin,
		bases: []string{a.Base(), b.Base()}, recycle: 200 * time.Millisecond})
	t.Cleanup(restless.stop)
	dashboards = append(dashboards, restless)
	tr := startTraffic(ctx, tok.user, writers, alertsPerS, a.Base(), b.Base())
	t.Cleanup(tr.stop)

	pause(ctx, loadPhase)
	outageBegan := time.Now()
	terminated := terminateBackends(t, ctx, db)
	outageEnded := time.Now()
	listeners := waitListeners(t, ctx, db, 2)
	t.Logf("terminated %d backends in %s; both listeners back %s later", terminated,
		outageEnded.Sub(outageBegan).Round(time.Millisecond), listeners.Round(time.Millisecond))
	pause(ctx, loadPhase)
	tr.stop()

	calls := tr.snapshot()
	checkOutageAnswers(t, calls, outageBegan, outageEnded)
	if terminated == 0 {
		t.Error("no backend was terminated: there was no outage to survive")
	}
	requireSuccessAfter(t, calls, outageEnded, a.Base(), b.Base())
	s := checkDelivery(t, ctx, db, calls, dashboards)
	checkOrders(t, s)
	checkFailuresChangedNothing(t, s, calls)
	if t.Failed() {
		t.Logf("output of A:\n%s\noutput of B:\n%s", a.Log, b.Log)
	}
}

// terminateBackends ends every other backend of the database, repeatedly, and returns how many.
func terminateBackends(t *testing.T, ctx context.Context, db database) int {
	t.Helper()
	killer := openPostgres(t, db)
	total := 0
	for end := time.Now().Add(terminateFor); time.Now().Before(end); pause(ctx, terminateEvery) {
		var n int
		err := killer.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(ctx, &n)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}

// waitListeners waits until n LISTEN connections are back on the database and returns how long
// that took.
func waitListeners(t *testing.T, ctx context.Context, db database, n int) time.Duration {
	t.Helper()
	watcher := openPostgres(t, db)
	began := time.Now()
	for {
		var listening int
		err := watcher.NewRaw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN%'`).Scan(ctx, &listening)
		if err != nil {
			t.Fatal(err)
		}
		if listening >= n {
			return time.Since(began)
		}
		if time.Since(began) > 15*time.Second {
			t.Fatalf("%d of %d listeners reconnected within 15 s", listening, n)
		}
		pause(ctx, 50*time.Millisecond)
	}
}

func openPostgres(t *testing.T, db database) *bun.DB {
	t.Helper()
	conn, err := persistence.Open(db.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// checkOutageAnswers: every call was answered within the call timeout (no hang, no reset), and
// every failure was a 503 with the clear msg; some came during the outage.
func checkOutageAnswers(t *testing.T, calls []call, began, ended time.Time) {
	t.Helper()
	during := 0
	for _, c := range calls {
		switch {
		case c.ok():
		case c.err != nil:
			t.Errorf("%s %d on %s: no answer after %s: %v", c.kind, c.orderID, c.base, c.took, c.err)
		case c.status != http.StatusServiceUnavailable || c.code != 0 || c.msg != unavailableMsg:
			t.Errorf("%s %d on %s: %d %q, want success or 503 %q", c.kind, c.orderID, c.base, c.status, c.msg, unavailableMsg)
		case c.began.Before(began) || c.began.After(ended):
			t.Logf("%s %d answered 503 outside the outage (began %s after it ended)", c.kind, c.orderID, c.began.Sub(ended))
		default:
			during++
		}
	}
	t.Logf("%d calls answered 503 during the outage", during)
	if during == 0 {
		t.Error("no call was refused during the outage: the database was never away for the API")
	}
}
