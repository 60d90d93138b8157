package fault

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/proc"
)

// binary is orderalert, built once for the package.
var binary string

func TestMain(m *testing.M) {
	var cleanup func()
	var err error
	if binary, cleanup, err = proc.Build("../../cmd/orderalert"); err != nil {
		panic(err)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// testLimit bounds each test; each is meant to take a fraction of it.
const testLimit = 90 * time.Second

// bounded is the test's context with its deadline.
func bounded(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testLimit)
	t.Cleanup(cancel)
	return ctx
}

// database is where the instances of one test keep their data.
type database struct {
	name string // for messages: SQLite or PostgreSQL
	url  string
}

func sqliteDatabase(t *testing.T) database {
	return database{name: "SQLite", url: filepath.Join(t.TempDir(), "orderalert.db")}
}

func postgresDatabase(t *testing.T) database {
	return database{name: "PostgreSQL", url: pgtest.NewDatabase(t)}
}

// newInstance describes an `orderalert serve` on db with a free port; Start runs it. The ping
// interval is short so that a half-open socket is noticed quickly; the reminder cooldown does
// not matter (each order is reminded once).
func newInstance(t *testing.T, db database) *proc.Server {
	t.Helper()
	return proc.NewServer(t, binary, t.TempDir(),
		"ORDERALERT_DATABASE_URL="+db.url,
		"ORDERALERT_ADMIN_INITIAL_PASSWORD=fault test password",
		"ORDERALERT_REMINDER_COOLDOWN=1s",
		"ORDERALERT_WS_PING_INTERVAL=1s",
		"ORDERALERT_LOG_FORMAT=text",
	)
}

// tokens are an admin's and a customer's, minted with the instance's own secrets (which every
// instance on the database shares).
type tokens struct{ admin, user string }

func mintTokens(t *testing.T, ctx context.Context, s *proc.Server) tokens {
	t.Helper()
	return tokens{admin: s.Run(ctx, "token", "--admin", "1"), user: s.Run(ctx, "token", "--user", "7")}
}

// pause waits d unless ctx ends first.
func pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}
