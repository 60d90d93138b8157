package application

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrInvalidInput is a request the use case cannot act on (a negative id, a limit out of range).
var ErrInvalidInput = errors.New("invalid input")

// ErrUnavailable is a temporary failure: the service is shutting down or at its limits, or
// something it depends on does not answer. Trying again later, or on another instance, may
// succeed; clients are told so (HTTP 503) instead of being shown an internal error.
var ErrUnavailable = errors.New("unavailable")

// ErrDatabaseUnavailable is ErrUnavailable because the database cannot be reached or cannot
// take writes: it is down, restarting, refusing connections, dropped the connection, stayed
// locked too long, or its storage refuses writes (disk full, read-only, I/O error, a SQLite
// file that is no longer the one at its path).
// Storage adapters wrap the driver's error in it. The operation did not complete; only a
// connection lost during COMMIT leaves its outcome unknown, which is why every write the API
// offers is safe to retry (payments are idempotent, reminders have a cooldown).
var ErrDatabaseUnavailable = fmt.Errorf("database %w", ErrUnavailable)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
