package fault

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/proc"
)

// binary is orderalert, built once for the package.
var binary string

func TestMain(m *testing.M) { proc.Main(m, "../../cmd/orderalert", &binary) }

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

// Figures of the load the tests put on the service.
const (
	writers     = 4
	alertsPerS  = 20 // payments and reminders a second, all writers together
	loadPhase   = 1500 * time.Millisecond
	downtime    = 500 * time.Millisecond
	dashboardsN = 4
)

// openDashboards opens n dashboards, every other one with a ticket or the token header, each
// trying the instances in the order given; with spread, the second pair starts with the next
// instance, and so on, so that each instance gets both kinds of dashboards.
func openDashboards(t *testing.T, tok tokens, n int, spread bool, bases ...string) []*dashboard {
	t.Helper()
	ctx := bounded(t)
	var ds []*dashboard
	for i := range n {
		order := bases
		if spread {
			first := (i / 2) % len(bases)
			order = append(append([]string(nil), bases[first:]...), bases[:first]...)
		}
		d := openDashboard(ctx, dashboardConfig{sid: fmt.Sprintf("dash-%d", i), useTicket: i%2 == 0, token: tok.admin, bases: order})
		t.Cleanup(d.stop)
		ds = append(ds, d)
	}
	waitConnected(t, ctx, ds...)
	return ds
}
