package fault

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/sqliteshim"
)

// stopDeadline is the contract's: a SIGTERM ends the process well within the fx stop timeout.
const stopDeadline = 10 * time.Second

// lockHeld is how long after the SIGTERM the calls in flight are held back.
const lockHeld = 500 * time.Millisecond

// TestSIGTERMUnderLoadDrainsCleanly: SIGTERM in the middle of a steady stream of payments and
// reminders. Every call either succeeds or gets a clean 503 (none loses its connection once
// it was made), every open socket gets close 1001, and the process exits with status 0 in
// under ten seconds. Started again on the same database, it delivers to the dashboards what
// they had not received.
func TestSIGTERMUnderLoadDrainsCleanly(t *testing.T) {
	ctx := bounded(t)
	db := sqliteDatabase(t)
	srv := newInstance(t, db)
	srv.Start()
	tok := mintTokens(t, ctx, srv)
	dashboards := openDashboards(t, tok, dashboardsN, false, srv.Base())
	tr := startTraffic(ctx, tok.user, writers, alertsPerS, srv.Base())
	t.Cleanup(tr.stop)

	pause(ctx, loadPhase)
	var open []*socketLog
	for _, d := range dashboards {
		open = append(open, d.openSocket())
	}
	// Hold SQLite's write lock across the SIGTERM, so that calls are certainly in flight
	// (waiting in busy_timeout) when it comes; let them go on a moment later.
	release := holdWriteLock(t, ctx, db)
	pause(ctx, 300*time.Millisecond)
	sigterm := time.Now()
	time.AfterFunc(lockHeld, release)
	took, err := srv.Stop(2 * stopDeadline)
	t.Logf("SIGTERM after %s of load, with the write lock held %s more: exited in %s (%v)", loadPhase, lockHeld, took.Round(time.Millisecond), err)
	if err != nil {
		t.Errorf("exit status after SIGTERM: %v, want 0", err)
	}
	if took >= stopDeadline {
		t.Errorf("exit took %s after SIGTERM, want under %s", took, stopDeadline)
	}
	pause(ctx, 200*time.Millisecond) // the dashboards have read the close frames
	var lastClose time.Duration
	for i, d := range dashboards {
		if open[i] == nil {
			t.Errorf("dashboard %s had no socket open at the SIGTERM", d.sid)
			continue
		}
		for _, s := range d.socketsSnapshot() {
			if !s.opened.Equal(open[i].opened) {
				continue
			}
			if s.closeCode != 1001 {
				t.Errorf("dashboard %s: the socket open at the SIGTERM ended with %q, want close 1001", d.sid, s.err)
			}
			lastClose = max(lastClose, s.ended.Sub(sigterm))
		}
	}
	t.Logf("the last 1001 close reached its dashboard %s after the SIGTERM", lastClose.Round(time.Millisecond))
	if lastClose >= lockHeld {
		t.Errorf("the sockets were closed only after the in-flight calls could finish; DESIGN §6 closes them first")
	}

	srv.Start()
	pause(ctx, loadPhase)
	tr.stop()
	calls := tr.snapshot()
	inFlight := 0
	for _, c := range calls {
		if c.began.Before(sigterm) && c.began.Add(c.took).After(sigterm) {
			inFlight++
			if !c.ok() {
				t.Errorf("%s of order %d was in flight at the SIGTERM and did not succeed: %d %q %v", c.kind, c.orderID, c.status, c.msg, c.err)
			}
		}
		switch {
		case c.ok(), c.refused:
		case c.err != nil:
			t.Errorf("%s of order %d lost its connection after %s: %v", c.kind, c.orderID, c.took, c.err)
		case c.status != http.StatusServiceUnavailable || c.code != 0 || c.msg == "":
			t.Errorf("%s of order %d: %d %q, want success or a clean 503", c.kind, c.orderID, c.status, c.msg)
		}
	}
	t.Logf("%d calls were in flight at the SIGTERM", inFlight)
	if inFlight == 0 {
		t.Error("no call was in flight at the SIGTERM: the test proved nothing about the drain")
	}
	s := checkDelivery(t, ctx, db, calls, dashboards)
	checkOrders(t, s)
	checkFailuresChangedNothing(t, s, calls)
	if t.Failed() {
		t.Logf("server output:\n%s", srv.Log)
	}
}

// holdWriteLock takes SQLite's write lock on db from another connection, as a long write
// would; the returned function releases it (once).
func holdWriteLock(t *testing.T, ctx context.Context, db database) func() {
	t.Helper()
	conn, err := sql.Open(sqliteshim.ShimName, "file:"+db.url+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release := func() { once.Do(func() { _ = tx.Rollback() }) }
	t.Cleanup(release)
	return release
}
