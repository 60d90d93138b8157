package persistence

import (
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// sqliteNow is SQLite's clock in the form Bun writes a UTC time.Time ('2006-01-02
// 15:04:05.999-07:00' with +00:00), so that both compare as text in time order.
const sqliteNow = `strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'`

// dbNow is the database's clock as an SQL expression: what heartbeats are stamped and compared
// with, so that the instances' own clocks may differ.
func dbNow(db bun.IDB) string {
	if isPostgres(db) {
		return "now()"
	}
	return sqliteNow + ")"
}

// dbAgo is the database's clock d ago. The expression holds only a number formatted here.
func dbAgo(db bun.IDB, d time.Duration) string {
	if isPostgres(db) {
		return fmt.Sprintf("(now() - make_interval(secs => %.6f))", d.Seconds())
	}
	return fmt.Sprintf("%s, '-%.6f seconds')", sqliteNow, d.Seconds())
}
