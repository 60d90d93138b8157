package persistence_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/persistence"
)

// TestLongExpiredTicketsAreForgotten: the ledger does not grow forever. A ticket that expired
// over an hour ago (its JWT can no longer pass anyway) is removed by the next pruning, which
// runs at most once a minute.
func TestLongExpiredTicketsAreForgotten(t *testing.T) {
	t.Parallel()
	db := openDB(t, filepath.Join(t.TempDir(), "orderalert.db"))
	if _, err := persistence.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	ledger := persistence.NewTicketLedger(db)
	if err := ledger.Use(t.Context(), "long-expired", time.Now().Add(-2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := ledger.Use(t.Context(), "fresh", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	n, err := db.NewSelect().TableExpr("used_tickets").Count(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("used_tickets holds %d rows (%v), want only the fresh ticket", n, err)
	}
}
