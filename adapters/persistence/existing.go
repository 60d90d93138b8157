package persistence

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/migrate"
)

// ErrNoDatabase means that Config.Existing was set and the database named is not there, or
// holds no orderalert schema: nothing was created.
var ErrNoDatabase = errors.New("no orderalert database")

// openExisting opens a database that exists already: a missing SQLite file is refused before
// anything could create it, so that a tool run in the wrong folder leaves no stray database.
func openExisting(databaseURL string, log *slog.Logger) (*bun.DB, *Health, error) {
	if databaseURL == "" {
		databaseURL = DefaultURL
	}
	if IsPostgresURL(databaseURL) {
		return OpenWatched(databaseURL, log)
	}
	_, path, _, err := sqliteDSN(databaseURL)
	if err != nil {
		return nil, nil, err
	}
	if path != "" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("%w at %s", ErrNoDatabase, Describe(databaseURL))
		}
	}
	return OpenWatched(databaseURL, log)
}

// prepareExisting checks that the database answers and that its schema is this version's,
// without changing it: a tool is no place to migrate a database servers use.
func prepareExisting(db *bun.DB, databaseURL string) error {
	if err := Ping(context.Background(), db, startPingTimeout); err != nil {
		var pgErr pgdriver.Error
		if errors.As(err, &pgErr) && pgErr.Field('C') == "3D000" { // invalid_catalog_name
			return fmt.Errorf("%w at %s: PostgreSQL has no such database", ErrNoDatabase, Describe(databaseURL))
		}
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), startPingTimeout)
	defer cancel()
	if ok, err := hasMigrationsTable(ctx, db); err != nil || !ok {
		if err != nil {
			return failed(err, "read the schema's version")
		}
		return fmt.Errorf("%w at %s: it is empty (`orderalert serve` or `orderalert migrate` sets it up)", ErrNoDatabase, Describe(databaseURL))
	}
	migrations, err := migrationsFor(db)
	if err != nil {
		return err
	}
	status, err := migrate.NewMigrator(db, migrations).MigrationsWithStatus(ctx)
	if err != nil {
		return failed(err, "read the schema's version")
	}
	if pending := status.Unapplied(); len(pending) > 0 {
		return fmt.Errorf("the schema of %s is older than this command (%d migrations to apply): run `orderalert migrate`", Describe(databaseURL), len(pending))
	}
	return nil
}

func hasMigrationsTable(ctx context.Context, db *bun.DB) (bool, error) {
	query := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bun_migrations'"
	if isPostgres(db) {
		query = "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'bun_migrations'"
	}
	var n int
	err := db.NewRaw(query).Scan(ctx, &n)
	return n > 0, err
}
