package persistence_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/channel"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/push"
	"github.com/orderalert/orderalert/test/pgtest"
)

type idBodies struct{}

func (idBodies) Body(channel.Kind, string, []alert.Alert) ([]byte, error) { return []byte("{}"), nil }

// TestPruneTakesTheEndedDeliveriesOfPrunedAlerts: the retention's prune deletes the deliveries
// that ended before its cut, with the alerts; one still to be sent stays.
func TestPruneTakesTheEndedDeliveriesOfPrunedAlerts(t *testing.T) {
	t.Parallel()
	urls := map[string]string{"SQLite": filepath.Join(t.TempDir(), "orderalert.db"), "PostgreSQL": pgtest.NewDatabase(t)}
	for name, url := range urls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t, url)
			if _, err := persistence.Migrate(t.Context(), db); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if _, err := persistence.NewChannelRepository(db).Add(ctx, channel.Channel{ShopID: 1, Kind: channel.Webhook, URL: "https://x.example/h", Secret: "s", CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			staff, err := persistence.NewEmployeeRepository(db).Add(ctx, employee.Employee{
				Name: "店员", Username: "clerk", PasswordHash: "$2a$10$x", Status: employee.StatusEnabled, CreateTime: time.Now(), UpdateTime: time.Now(),
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = persistence.NewPushSubscriptions(db).Save(ctx, push.Subscription{
				EmployeeID: staff.ID, TokenID: "t", Endpoint: "https://push.example/1", P256dh: "k", Auth: "a", CreatedAt: time.Now(),
			})
			if err != nil {
				t.Fatal(err)
			}
			publisher, schedule := persistence.NewAlertPublisher(db), persistence.NewEscalationSchedule(db)
			for range 2 {
				a, _, err := publisher.Publish(ctx, alert.Alert{Type: 10, ShopID: 1, Source: "pms", Content: "x", CreatedAt: time.Now().Add(-time.Hour)})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := schedule.Escalate(ctx, a.ID, application.ReasonUnacknowledged, idBodies{}, application.Rate{N: 20, Per: time.Minute}); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := persistence.NewPushQueue(db).Enqueue(ctx, 10, func(alert.Alert, bool) []byte { return []byte("{}") }); err != nil || n != 2 {
				t.Fatalf("Enqueue = %d, %v", n, err)
			}
			d, ok, err := schedule.Claim(ctx, time.Minute)
			if err != nil || !ok {
				t.Fatalf("Claim = %v, %v", ok, err)
			}
			if err := schedule.Finish(ctx, d, application.Attempt{Outcome: application.AttemptSent}, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := persistence.NewAlertLog(db).Prune(ctx, time.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			var left []int64
			if err := db.NewSelect().Table("escalation_deliveries").Column("id").Scan(ctx, &left); err != nil {
				t.Fatal(err)
			}
			if len(left) != 1 || left[0] == d.ID {
				t.Fatalf("deliveries left %v, want only the one not sent (not %d)", left, d.ID)
			}
			if n, err := db.NewSelect().Table("push_deliveries").Count(ctx); err != nil || n != 0 {
				t.Fatalf("push deliveries left: %d, %v; want the two pushes pruned with their alerts", n, err)
			}
		})
	}
}
