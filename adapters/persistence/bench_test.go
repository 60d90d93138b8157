package persistence_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/clock"
	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/test/pgtest"
)

// BenchmarkUseCases measures ConfirmPayment and RemindOrder on each database: one committed
// order change and alert per operation, as the API performs them.
func BenchmarkUseCases(b *testing.B) {
	for name, url := range map[string]func(b *testing.B) string{
		"SQLite":     func(b *testing.B) string { return filepath.Join(b.TempDir(), "orderalert.db") },
		"PostgreSQL": func(b *testing.B) string { return pgtest.NewDatabase(b) },
	} {
		b.Run(name, func(b *testing.B) {
			db, err := persistence.Open(url(b))
			if err != nil {
				b.Fatal(err)
			}
			defer func() { _ = db.Close() }()
			if _, err := persistence.Migrate(b.Context(), db); err != nil {
				b.Fatal(err)
			}
			orders := persistence.NewOrderRepository(db)
			submit := application.SubmitOrder{Orders: orders, Shops: persistence.NewShopRepository(db), Clock: clock.System{}}
			pay := application.ConfirmPayment{Orders: orders, Feed: &memory.CommitRecorder{}, Clock: clock.System{}}
			remind := application.RemindOrder{Orders: orders, Feed: &memory.CommitRecorder{}, Clock: clock.System{}, Cooldown: time.Hour}
			placed := func() order.Order {
				o, err := submit.Execute(b.Context(), order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1850})
				if err != nil {
					b.Fatal(err)
				}
				return o
			}
			b.Run("ConfirmPayment", func(b *testing.B) {
				pending := make([]order.Order, b.N)
				for i := range pending {
					pending[i] = placed()
				}
				b.ResetTimer()
				for i := range b.N {
					if _, err := pay.Execute(b.Context(), pending[i].Number, order.PayMethodWeChat, "wx"); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("RemindOrder", func(b *testing.B) {
				paid := make([]order.Order, b.N)
				for i := range paid {
					paid[i] = placed()
					if _, err := pay.Execute(b.Context(), paid[i].Number, order.PayMethodWeChat, "wx"); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				for i := range b.N {
					if _, err := remind.Execute(b.Context(), paid[i].ID, 7); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
