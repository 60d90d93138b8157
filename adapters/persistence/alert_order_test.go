package persistence

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestAlertIDsBecomeVisibleInIDOrder tries to break the outbox hazard on PostgreSQL on purpose:
// writer 1 inserts an alert and pauses before its commit while writer 2 appends and tries to
// commit. A reader resuming after the last id it saw must still get writer 1's alert. The same
// scenario without the advisory lock must lose it — proof that the test can see the hazard and
// that the lock is what prevents it.
func TestAlertIDsBecomeVisibleInIDOrder(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		withoutLock bool
	}{{"with the lock nothing is skipped", false}, {"without the lock a resuming reader skips", true}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			db := migratedPostgres(t)
			repo := NewOrderRepository(db)
			repo.unorderedAlertIDs = c.withoutLock
			log := NewAlertLog(db)
			first, second := addPending(t, repo, "1"), addPending(t, repo, "2")

			inserted, release, writer1 := make(chan int64), make(chan struct{}), make(chan error, 1)
			go func() {
				writer1 <- db.RunInTx(context.Background(), &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
					a, err := repo.appendAlert(ctx, tx, alert.NewOrder(first.ShopID, first.ID, first.Number, time.Now()))
					if err != nil {
						close(inserted)
						return err
					}
					inserted <- a.ID
					<-release // paused between the insert and the commit
					return nil
				})
			}()
			firstID := <-inserted

			writer2 := make(chan error, 1)
			go func() {
				_, _, err := repo.Update(context.Background(), application.ByID(second.ID), func(o *order.Order) (*alert.Alert, error) {
					a := alert.NewOrder(o.ShopID, o.ID, o.Number, time.Now())
					return &a, nil
				})
				writer2 <- err
			}()
			if c.withoutLock {
				if err := <-writer2; err != nil { // commits at once, with the later id
					t.Fatal(err)
				}
			} else {
				waitForAdvisoryLockWaiter(t, db)
			}

			var seen []int64
			cursor := readFrom(t, log, 0, &seen) // the reader polls while writer 1 is still open
			close(release)
			if err := <-writer1; err != nil {
				t.Fatal(err)
			}
			if !c.withoutLock {
				if err := <-writer2; err != nil {
					t.Fatal(err)
				}
			}
			readFrom(t, log, cursor, &seen)

			skipped := !slices.Contains(seen, firstID)
			if skipped != c.withoutLock {
				t.Fatalf("reader saw ids %v; writer 1's id %d skipped = %v, want %v", seen, firstID, skipped, c.withoutLock)
			}
		})
	}
}

// readFrom reads every alert after cursor, as a resuming dashboard does, and returns the new cursor.
func readFrom(t *testing.T, log *AlertLog, cursor int64, seen *[]int64) int64 {
	t.Helper()
	page, err := log.After(t.Context(), application.EveryAlert(), cursor, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range page {
		*seen = append(*seen, a.ID)
		cursor = a.ID
	}
	return cursor
}

// waitForAdvisoryLockWaiter returns once some session of this database waits for the alert
// order lock, which is where writer 2 must be while writer 1 holds it.
func waitForAdvisoryLockWaiter(t *testing.T, db *bun.DB) {
	t.Helper()
	for range 500 {
		var waiting int
		err := db.NewRaw(`SELECT count(*) FROM pg_locks
			WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).
			Scan(t.Context(), &waiting)
		if err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("writer 2 never waited for the alert order lock")
}

func migratedPostgres(t *testing.T) *bun.DB {
	t.Helper()
	db, err := Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

func addPending(t *testing.T, repo *OrderRepository, suffix string) order.Order {
	t.Helper()
	o, err := order.New(order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 100}, "lock-test-"+suffix, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if o, err = repo.Add(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	return o
}
