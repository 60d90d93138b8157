package persistence_test

import (
	"testing"
	"time"

	"github.com/uptrace/bun/migrate"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestTheItemsMigrationKeepsOrdersAndRollsBack: an order placed before the items columns
// existed reads back with no items; the migration's down removes both columns and its up
// adds them again, on both databases.
func TestTheItemsMigrationKeepsOrdersAndRollsBack(t *testing.T) {
	t.Parallel()
	for name, newURL := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t, newURL(t))
			if err := persistence.MigrateThrough(t.Context(), db, "20261204000011"); err != nil {
				t.Fatal(err)
			}
			_, err := db.NewRaw(`INSERT INTO orders (number, shop_id, status, user_id, order_time, pay_method, pay_status, amount)
				VALUES ('before-items', 1, 1, 7, ?, 1, 0, 12.5)`, time.Now().UTC()).Exec(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			// Through 12 only, so that the rollback below is 12's whatever migrations come later.
			if err := persistence.MigrateThrough(t.Context(), db, "20261204000012"); err != nil {
				t.Fatalf("migration 12: %v", err)
			}
			orders := persistence.NewOrderRepository(db)
			if o, err := orders.Get(t.Context(), application.ByNumber("before-items")); err != nil || o.Items != nil || o.Amount != 1250 {
				t.Fatalf("the order from before = %+v, %v; want no items", o, err)
			}

			m := migrate.NewMigrator(db, persistence.Migrations(t, db), migrate.WithMarkAppliedOnSuccess(true))
			group, err := m.Rollback(t.Context())
			if err != nil || len(group.Migrations) != 1 {
				t.Fatalf("rollback: %v, %v", group, err)
			}
			for _, table := range []string{"orders", "order_alerts"} {
				if _, err := db.NewRaw("SELECT items FROM " + table).Exec(t.Context()); err == nil {
					t.Errorf("%s.items is still there after the down migration", table)
				}
			}
			if err := persistence.MigrateThrough(t.Context(), db, "20261204000012"); err != nil {
				t.Fatalf("migrating again: %v", err)
			}
			if _, err := persistence.Migrate(t.Context(), db); err != nil {
				t.Fatalf("the migrations after 12: %v", err)
			}
			o, err := orders.Add(t.Context(), withItems(t))
			if err != nil {
				t.Fatal(err)
			}
			if got, err := orders.Get(t.Context(), application.ByID(o.ID)); err != nil || !got.Equal(o) {
				t.Fatalf("an order with items after down and up = %+v, %v", got.Items, err)
			}
		})
	}
}

func withItems(t *testing.T) order.Order {
	t.Helper()
	o, err := order.New(order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 3600,
		Items: []order.Item{{Name: "宫保鸡丁", Number: 2, Amount: 1800}}}, "after-items", time.Now().UTC().Truncate(time.Microsecond))
	if err != nil {
		t.Fatal(err)
	}
	return o
}
