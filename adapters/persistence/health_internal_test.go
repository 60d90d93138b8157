package persistence

import (
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
)

// TestReadinessFollowsWritesTheStorageRefused: a database that answers reads but refuses a
// write (a read-only SQLite file here; a full disk alike) is not ready from the refusal until
// failedWriteHold has passed without another.
func TestReadinessFollowsWritesTheStorageRefused(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	path := filepath.Join(t.TempDir(), "orderalert.db")
	db, _, err := OpenWatched(path, log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	readOnly, health, err := OpenWatched("file:"+path+"?mode=ro", log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = readOnly.Close() })
	now := time.Now()
	health.now = func() time.Time { return now }
	probe := NewProbe(readOnly, health, log)
	if err := probe.Ready(t.Context()); err != nil {
		t.Fatalf("before any write: %v", err)
	}
	_, err = NewOrderRepository(readOnly).Add(t.Context(), order.Order{Number: "refused", ShopID: 1, Status: order.StatusPendingPayment, UserID: 1, Amount: 1, PayMethod: 1, OrderTime: now})
	if !errors.Is(err, application.ErrDatabaseUnavailable) {
		t.Fatalf("write to a read-only file: %v", err)
	}
	now = now.Add(failedWriteHold - time.Millisecond)
	if err := probe.Ready(t.Context()); err == nil {
		t.Fatal("ready just after a refused write")
	} else {
		t.Logf("probe: %v", err)
	}
	now = now.Add(time.Millisecond)
	if err := probe.Ready(t.Context()); err != nil {
		t.Fatalf("still not ready %s after the refused write: %v", failedWriteHold, err)
	}
}
