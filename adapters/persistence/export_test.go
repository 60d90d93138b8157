package persistence

import (
	"context"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// MigrateThrough applies the migrations up to and including the one whose name starts with
// last, as an older release would have left the database, for tests of the migrations after it.
func MigrateThrough(ctx context.Context, db *bun.DB, last string) error {
	dir := "migrations/sqlite"
	if isPostgres(db) {
		dir = "migrations/postgres"
	}
	files, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return err
	}
	older := fstest.MapFS{}
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name()[:len(last)] > last {
			continue
		}
		body, err := fs.ReadFile(files, e.Name())
		if err != nil {
			return err
		}
		older[e.Name()] = &fstest.MapFile{Data: body}
	}
	migrations := migrate.NewMigrations()
	if err := migrations.Discover(older); err != nil {
		return err
	}
	m := migrate.NewMigrator(db, migrations, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return err
	}
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate through %s: %w", last, err)
	}
	return nil
}

// SilenceInstance sets instance's last heartbeat ago before the database's clock, as a killed
// instance's becomes.
func SilenceInstance(ctx context.Context, db *bun.DB, instance string, ago time.Duration) error {
	_, err := db.NewRaw("UPDATE instances SET seen_at = "+dbAgo(db, ago)+" WHERE id = ?", instance).Exec(ctx)
	return err
}

// Migrations is the migrations of db's dialect, for tests that roll one back.
func Migrations(t testing.TB, db *bun.DB) *migrate.Migrations {
	t.Helper()
	m, err := migrationsFor(db)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
