// Package persistence stores orders and alerts with Bun, in PostgreSQL (pgdriver) or in an
// embedded SQLite file (sqliteshim), chosen by the database URL.
//
// Concurrency, in short:
//   - Every change of an order runs in one transaction that first locks the order's row
//     (SELECT … FOR UPDATE on PostgreSQL; SQLite's write transactions begin IMMEDIATE and are
//     serialised by the database), so a change decides on the state it writes over.
//   - The alert a change produces is inserted in the same transaction: both commit or neither.
//   - Alert ids become visible in id order (appendAlert explains how, per database).
//   - The reminder cooldown is one conditional UPDATE against the database's clock.
//   - Retention deletes old alerts in short batches that take no alert-order lock and, on
//     PostgreSQL, skip rows another instance's prune has claimed (prune.go); ids are never
//     reused, so the id generator, not the rows left, tells the last id ever assigned.
//   - Every change that instances keep a copy of (accounts, logouts) moves the one-row change
//     counter as the last statement of its transaction (access.go), so a poll of that row tells
//     an instance its copy is behind.
//
// Driver errors are translated into the domain's sentinel errors (errors.go); those that say the
// database cannot be reached (unavailable.go) or its storage refuses writes (storage_errors.go)
// into application.ErrDatabaseUnavailable. Health (health.go) remembers the refusals for the
// readiness Probe, and on SQLite a commit hook refuses every write to a file that is no longer
// the one at its path (file_guard.go). The SQLite files are created private (private_files.go).
package persistence
