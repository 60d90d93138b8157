package persistence_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/test/contract"
	"github.com/orderalert/orderalert/test/pgtest"
)

func TestSQLiteContract(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(t *testing.T) func() contract.Store {
		return storesOn(t, filepath.Join(t.TempDir(), "orderalert.db"))
	})
}

func TestPostgresContract(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(t *testing.T) func() contract.Store {
		return storesOn(t, pgtest.NewDatabase(t))
	})
}

// storesOn migrates the database at url and returns a function that opens another connection
// pool on it each time it is called.
func storesOn(t *testing.T, url string) func() contract.Store {
	t.Helper()
	if _, err := persistence.Migrate(t.Context(), openDB(t, url)); err != nil {
		t.Fatal(err)
	}
	return func() contract.Store {
		db := openDB(t, url)
		orders := persistence.NewOrderRepository(db)
		return contract.Store{
			Orders:    orders,
			Acks:      orders,
			Alerts:    persistence.NewAlertLog(db),
			Employees: persistence.NewEmployeeRepository(db),
			Tickets:   persistence.NewTicketLedger(db),
			Access:    persistence.NewAccessStore(db),
			Denylist:  persistence.NewAccessStore(db),
			Shops:     persistence.NewShopRepository(db),
			Kinds:     persistence.NewAlertKindRepository(db),

			Integrations: persistence.NewIntegrationRepository(db),
			Publisher:    persistence.NewAlertPublisher(db),

			Customers: persistence.NewCustomerRepository(db),
			Unpaid:    orders,
			Channels:  persistence.NewChannelRepository(db),
			Schedule:  persistence.NewEscalationSchedule(db),
			Presence:  persistence.NewPresence(db),
			Screens:   persistence.NewPresence(db),

			PushSubscriptions: persistence.NewPushSubscriptions(db),
			PushQueue:         persistence.NewPushQueue(db),
			SilenceInstance: func(t *testing.T, instance string, ago time.Duration) {
				t.Helper()
				if err := persistence.SilenceInstance(t.Context(), db, instance, ago); err != nil {
					t.Fatal(err)
				}
			},
		}
	}
}

func openDB(t *testing.T, url string) *bun.DB {
	t.Helper()
	db, err := persistence.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}
