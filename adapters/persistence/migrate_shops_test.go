package persistence_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestMigratingAPopulatedSingleShopDatabase (DESIGN §20.8): a database of the release before
// shops, with an account, an order and alerts (the newest one pruned), is migrated; everything
// in it belongs to shop 1 and its account is platform staff; a new shop gets id 2, and a new
// alert an id above every id handed out before, pruned ones included.
func TestMigratingAPopulatedSingleShopDatabase(t *testing.T) {
	t.Parallel()
	for name, newURL := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := newURL(t)
			db := openDB(t, url)
			if err := persistence.MigrateThrough(t.Context(), db, "20261127000004"); err != nil {
				t.Fatal(err)
			}
			populatePartOne(t, db)
			applied, err := persistence.Migrate(t.Context(), db)
			if err != nil || len(applied) == 0 {
				t.Fatalf("migrating the populated database applied %v: %v", applied, err)
			}

			shops := persistence.NewShopRepository(db)
			if all, err := shops.List(t.Context()); err != nil || len(all) != 1 || all[0].ID != shop.Default || all[0].Name != "默认门店" {
				t.Fatalf("shops after the migration = %+v, %v; want shop 1 默认门店 alone", all, err)
			}
			e, err := persistence.NewEmployeeRepository(db).ByUsername(t.Context(), "cashier")
			if err != nil || e.ShopID != 0 {
				t.Fatalf("the existing account = %+v, %v; want platform staff (no shop)", e, err)
			}
			orders := persistence.NewOrderRepository(db)
			if o, err := orders.Get(t.Context(), application.ByNumber("P1-0001")); err != nil || o.ShopID != shop.Default {
				t.Fatalf("the existing order = %+v, %v; want shop 1", o, err)
			}
			log := persistence.NewAlertLog(db)
			kept, err := log.After(t.Context(), application.EveryAlert(), 0, 10)
			if err != nil || fmt.Sprint(summaries(kept)) != "[1/1/1/ 2/2/1/]" {
				t.Fatalf("the existing alerts = %v, %v; want ids 1 and 2, types 1 and 2, shop 1, no source", summaries(kept), err)
			}
			// Part one's alerts were seen or not long ago: acknowledged by nobody, with no event,
			// so that nothing rings or escalates for them after the upgrade (§20.8).
			for _, a := range kept {
				if a.Open() || a.Ack.By != (alert.Actor{}) || a.Ack.SID != "" || time.Since(a.Ack.At) > time.Minute {
					t.Fatalf("existing alert %d after the migration: ack %+v, want closed now by nobody", a.ID, a.Ack)
				}
			}
			if last, err := log.LastAssignedID(t.Context()); err != nil || last != 3 {
				t.Fatalf("LastAssignedID = %d, %v; want 3, the pruned alert's id", last, err)
			}
			// Web Push starts past the log: the upgrade pushes no old alert.
			if n, err := persistence.NewPushQueue(db).Enqueue(t.Context(), 10, func(alert.Alert, bool) []byte { return nil }); err != nil || n != 0 {
				t.Fatalf("the push queue took %d old log rows, %v; want none", n, err)
			}
			kinds, err := persistence.NewAlertKindRepository(db).List(t.Context())
			if err != nil || len(kinds) != 2 || kinds[0].Name != "来单提醒" || kinds[1].Name != "客户催单" {
				t.Fatalf("alert kinds = %+v, %v; want the two built-in ones", kinds, err)
			}

			second, err := shops.Add(t.Context(), mustShop(t, "二号店"))
			if err != nil || second.ID != 2 {
				t.Fatalf("the first new shop = %+v, %v; want id 2", second, err)
			}
			fresh := newOrderOf(t, second.ID)
			saved, err := orders.Add(t.Context(), fresh)
			if err != nil {
				t.Fatal(err)
			}
			_, a, err := orders.Update(t.Context(), application.ByID(saved.ID), func(o *order.Order) (*alert.Alert, error) {
				if _, err := o.ConfirmPayment(order.Payment{TransactionID: "wx-new", At: time.Now()}); err != nil {
					return nil, err
				}
				a := alert.NewOrder(o.ShopID, o.ID, o.Number, time.Now())
				return &a, nil
			})
			if err != nil || a == nil || a.ID != 4 || a.ShopID != 2 {
				t.Fatalf("the first alert after the migration = %+v, %v; want id 4 (above the pruned 3) in shop 2", a, err)
			}
			open, err := log.After(t.Context(), application.AlertFilter{Shops: shop.Everything(), AllKinds: true, OpenOnly: true}, 0, 10)
			if err != nil || len(open) != 1 || open[0].ID != 4 {
				t.Fatalf("open alerts = %v, %v; want the new alert 4 alone", summaries(open), err)
			}
		})
	}
}

// populatePartOne writes what the release before shops kept: an account, a paid order, three
// alerts of which the newest was pruned.
func populatePartOne(t *testing.T, db *bun.DB) {
	t.Helper()
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	statements := []string{
		`INSERT INTO employees (name, username, password, status, create_time, update_time) VALUES ('收银', 'cashier', '$2a$10$abcdefghijklmnopqrstuu', 1, ?0, ?0)`,
		`INSERT INTO orders (number, status, user_id, order_time, checkout_time, pay_method, pay_status, amount, transaction_id) VALUES ('P1-0001', 2, 7, ?0, ?0, 1, 1, 42.5, 'wx-old')`,
		`INSERT INTO order_alerts (type, order_id, order_number, content, created_at) VALUES (1, 1, 'P1-0001', '订单号:P1-0001', ?0)`,
		`INSERT INTO order_alerts (type, order_id, order_number, content, created_at) VALUES (2, 1, 'P1-0001', '订单号:P1-0001', ?0)`,
		`INSERT INTO order_alerts (type, order_id, order_number, content, created_at) VALUES (2, 1, 'P1-0001', '订单号:P1-0001', ?0)`,
		`DELETE FROM order_alerts WHERE id = 3`,
	}
	for _, q := range statements {
		if _, err := db.ExecContext(t.Context(), q, at); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func summaries(alerts []alert.Alert) []string {
	out := make([]string, len(alerts))
	for i, a := range alerts {
		out[i] = fmt.Sprintf("%d/%d/%d/%s", a.ID, a.Type, a.ShopID, a.Source)
	}
	return out
}

func mustShop(t *testing.T, name string) shop.Shop {
	t.Helper()
	s, err := shop.New(name, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newOrderOf(t *testing.T, shopID int64) order.Order {
	t.Helper()
	o, err := order.New(order.Draft{ShopID: shopID, UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1250}, "P2-0001", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return o
}
