package persistence_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestInstancesStartingTogetherMigrateOnce starts four instances on one fresh PostgreSQL database
// at once: they must wait for each other, not fail, and the schema must be applied exactly once.
// (SQLite is the single-instance default, DESIGN §8, and is not tested for this.)
func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	const instances = 4
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		appliers int
		failures []error
	)
	for range instances {
		db := openDB(t, url)
		wg.Go(func() {
			applied, err := persistence.Migrate(t.Context(), db)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, err)
			}
			if len(applied) > 0 {
				appliers++
			}
		})
	}
	wg.Wait()
	if len(failures) > 0 || appliers != 1 {
		t.Fatalf("%d instances applied migrations (want 1); failures: %v", appliers, failures)
	}
	assertNothingLeftToMigrate(t, url)
}

func TestRestartMigratesNothing(t *testing.T) {
	t.Parallel()
	url := filepath.Join(t.TempDir(), "orderalert.db")
	if applied, err := persistence.Migrate(t.Context(), openDB(t, url)); err != nil || len(applied) == 0 {
		t.Fatalf("first start applied %v, %v", applied, err)
	}
	assertNothingLeftToMigrate(t, url)
}

func assertNothingLeftToMigrate(t *testing.T, url string) {
	t.Helper()
	again, err := persistence.Migrate(t.Context(), openDB(t, url))
	if err != nil || len(again) != 0 {
		t.Fatalf("a later start applied %v, %v; want nothing", again, err)
	}
}
