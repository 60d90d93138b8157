package persistence_test

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/fx/fxtest"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestExistingOpensOnlyAMigratedDatabase: with Config.Existing, a database that is not there,
// or is there but empty, is ErrNoDatabase naming it, and is left as it was; a migrated one
// opens. On both databases.
func TestExistingOpensOnlyAMigratedDatabase(t *testing.T) {
	t.Parallel()
	for name, newDatabase := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := newDatabase(t)
			if !persistence.IsPostgresURL(url) {
				missing := filepath.Join(t.TempDir(), "absent", "orderalert.db")
				_, _, err := persistence.NewDB(fxtest.NewLifecycle(t), persistence.Config{URL: missing, Existing: true}, slog.New(slog.DiscardHandler))
				if !errors.Is(err, persistence.ErrNoDatabase) || !strings.Contains(err.Error(), missing) {
					t.Errorf("a missing SQLite file = %v, want ErrNoDatabase naming it", err)
				}
				if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
					t.Errorf("opening a missing SQLite file created its folder (%v)", err)
				}
				if err := os.WriteFile(url, nil, 0o600); err != nil { // an empty SQLite database
					t.Fatal(err)
				}
			}
			existing := persistence.Config{URL: url, Existing: true}
			_, _, err := persistence.NewDB(fxtest.NewLifecycle(t), existing, slog.New(slog.DiscardHandler))
			if !errors.Is(err, persistence.ErrNoDatabase) || !strings.Contains(err.Error(), "empty") {
				t.Fatalf("an empty database = %v, want ErrNoDatabase saying it is empty", err)
			}
			if applied, err := persistence.Migrate(t.Context(), openDB(t, url)); err != nil || len(applied) == 0 {
				t.Fatalf("migrating the empty database afterwards applied %v, %v: Existing changed its schema", applied, err)
			}
			lc := fxtest.NewLifecycle(t)
			if _, _, err := persistence.NewDB(lc, existing, slog.New(slog.DiscardHandler)); err != nil {
				t.Fatalf("a migrated database = %v", err)
			}
			lc.RequireStart().RequireStop()
		})
	}
}
