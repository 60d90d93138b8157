package persistence_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/clock"
	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/shop"
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
			// AckAlert is one acknowledgement: the alert's ack and its event appended under the
			// order lock, as POST /admin/alerts/{id}/ack performs it.
			employees := persistence.NewEmployeeRepository(db)
			admin, err := employees.Add(b.Context(), benchAdmin(b))
			if err != nil {
				b.Fatal(err)
			}
			ack := application.AckAlert{Acks: orders, Employees: employees, Feed: &memory.CommitRecorder{}, Observer: nopAcks{}, Clock: clock.System{}}
			b.Run("AckAlert", func(b *testing.B) {
				alerts := make([]int64, b.N)
				for i := range alerts {
					feed := &memory.CommitRecorder{}
					p := application.ConfirmPayment{Orders: orders, Feed: feed, Clock: clock.System{}}
					if _, err := p.Execute(b.Context(), placed().Number, order.PayMethodWeChat, "wx"); err != nil {
						b.Fatal(err)
					}
					alerts[i] = feed.Recent()[0].ID
				}
				b.ResetTimer()
				for i := range b.N {
					if _, err := ack.Execute(b.Context(), alerts[i], admin.ID, shop.Everything(), ""); err != nil {
						b.Fatal(err)
					}
				}
			})
			// PayAndAckParallel is the log's ceiling: 16 writers at once, each op an order placed,
			// paid and acknowledged — two appends through the one ordering lock (DESIGN §20.1).
			b.Run("PayAndAckParallel", func(b *testing.B) {
				b.SetParallelism(8) // × GOMAXPROCS 2: 16 writers
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						feed := &memory.CommitRecorder{}
						p := application.ConfirmPayment{Orders: orders, Feed: feed, Clock: clock.System{}}
						if _, err := p.Execute(b.Context(), placed().Number, order.PayMethodWeChat, "wx"); err != nil {
							b.Error(err)
							return
						}
						if _, err := ack.Execute(b.Context(), feed.Recent()[0].ID, admin.ID, shop.Everything(), ""); err != nil {
							b.Error(err)
							return
						}
					}
				})
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

type nopAcks struct{}

func (nopAcks) Acknowledged(alert.Alert) {}

func benchAdmin(b *testing.B) employee.Employee {
	e, err := employee.New("张三", "bench", "a long password", func(p string) (string, error) { return "hash:" + p, nil }, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return e
}
