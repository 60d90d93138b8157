package persistence

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/uptrace/bun/driver/sqliteshim"
	"modernc.org/sqlite"
)

// errNotTheOpenedFile is a write refused because the SQLite file at the database's path is no
// longer the one the process opened.
var errNotTheOpenedFile = errors.New("the SQLite database file at its path is not the one this process opened")

// guardLogEvery spaces the error logged while writes are refused: loud, not a flood.
const guardLogEvery = time.Minute

// fileGuard refuses to commit to an SQLite file that is no longer the one at its path. A file
// deleted, moved or replaced while open stays writable through the open descriptors, and every
// write acknowledged then would be missing after the next start, which opens whatever the path
// names by then. The check runs in SQLite's commit hook on every connection: every write
// transaction, a single statement's included, passes through it just before it commits, and a
// refusal turns the commit into a rollback, so nothing is written to the orphan.
type fileGuard struct {
	path   string
	opened os.FileInfo
	log    *slog.Logger

	mu       sync.Mutex
	refusing bool      // the last check failed
	logged   time.Time // when the refusal was last logged
}

func newFileGuard(path string, log *slog.Logger) (*fileGuard, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("SQLite database: %w", err)
	}
	return &fileGuard{path: path, opened: info, log: log}, nil
}

// check returns an error wrapping errNotTheOpenedFile unless the path still names the file
// opened; it logs the refusals (at most once per guardLogEvery) and the recovery.
func (g *fileGuard) check() error {
	info, err := os.Stat(g.path)
	var cause string
	switch {
	case err == nil && os.SameFile(info, g.opened):
		g.settle(nil, "")
		return nil
	case errors.Is(err, fs.ErrNotExist):
		cause = "it was deleted or moved away"
	case err != nil:
		cause = err.Error()
	default:
		cause = "another file replaced it"
	}
	refused := fmt.Errorf("%w: %s", errNotTheOpenedFile, cause)
	g.settle(refused, cause)
	return refused
}

func (g *fileGuard) settle(refused error, cause string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if refused == nil {
		if g.refusing {
			g.refusing = false
			g.log.Info("the SQLite database file is back at its path; writes are accepted again", "file", g.path)
		}
		return
	}
	g.refusing = true
	if now := time.Now(); now.Sub(g.logged) >= guardLogEvery {
		g.logged = now
		g.log.Error("the SQLite database file is no longer the one this service opened: every write is refused",
			"file", g.path, "cause", cause,
			"what_to_do", fmt.Sprintf("put the database file (with its -wal) back at this path and writes resume; or restart the service to use what the path names now. Until then the file this process opened can still be copied from /proc/%d/fd/", os.Getpid()))
	}
}

// commitHook is SQLite's commit hook: a non-zero result turns the commit into a rollback,
// which the driver reports as SQLITE_CONSTRAINT_COMMITHOOK.
func (g *fileGuard) commitHook() int32 {
	if g.check() != nil {
		return 1
	}
	return 0
}

// commitHooker is what modernc.org/sqlite's connections offer to install a commit hook.
type commitHooker interface {
	RegisterCommitHook(sqlite.CommitHookFn)
}

// sqliteConnector opens SQLite connections with the guard's commit hook installed, so that no
// connection of the pool, however new, can commit without the check.
type sqliteConnector struct {
	dsn   string
	guard *fileGuard // nil for an in-memory database
}

// Connect implements driver.Connector.
func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.Driver().Open(c.dsn)
	if err != nil || c.guard == nil {
		return conn, err
	}
	hooker, ok := conn.(commitHooker)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("SQLite driver %T cannot guard the database file (built with cgosqlite?)", conn)
	}
	hooker.RegisterCommitHook(c.guard.commitHook)
	return conn, nil
}

// Driver implements driver.Connector.
func (sqliteConnector) Driver() driver.Driver { return sqliteshim.Driver() }
