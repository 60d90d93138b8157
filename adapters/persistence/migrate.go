package persistence

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// The schema of each database, as versioned SQL files: the two dialects differ enough (identity
// columns, timestamp types) that one file for both would hide more than it shares.
//
//go:embed migrations
var migrationFiles embed.FS

// migrationLock is the PostgreSQL session advisory lock that queues instances migrating at
// once; the value spells "MIGRATE" in ASCII.
const migrationLock int64 = 0x4d49475241544500

// Migrate brings the schema up to date and returns the names of the migrations it applied.
//
// Several instances may start together against one PostgreSQL. They queue on a session advisory
// lock held by one dedicated connection, rather than on Bun's lock row, which fails at once
// instead of waiting and survives a crash that leaves it behind; PostgreSQL drops an advisory
// lock with its session. A migration is marked applied only once it has succeeded.
func Migrate(ctx context.Context, db *bun.DB) ([]string, error) {
	migrations, err := migrationsFor(db)
	if err != nil {
		return nil, err
	}
	if isPostgres(db) {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		defer func() { _ = conn.Close() }() // closing the session releases the lock in any case
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLock); err != nil {
			return nil, fmt.Errorf("migrate: wait for other instances: %w", err)
		}
		defer func() {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLock)
		}()
	}
	m := migrate.NewMigrator(db, migrations, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrate: create the migrations table: %w", err)
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []string
	for _, mig := range group.Migrations {
		applied = append(applied, mig.Name)
	}
	return applied, nil
}

func migrationsFor(db *bun.DB) (*migrate.Migrations, error) {
	dir := "migrations/sqlite"
	if isPostgres(db) {
		dir = "migrations/postgres"
	}
	files, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	migrations := migrate.NewMigrations()
	if err := migrations.Discover(files); err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return migrations, nil
}

func logApplied(log *slog.Logger, applied []string) {
	if len(applied) == 0 {
		log.Info("database schema is up to date")
		return
	}
	log.Info("database schema migrated", "applied", applied)
}
