// Package contract holds the suites that every adapter of the storage ports must pass: the
// in-memory store, SQLite and PostgreSQL run the very same tests (wild-workouts' one repository
// suite for every adapter, bun's one list of tests for every database). An adapter's own test
// file calls the suites with a Backend that hands each test fresh, empty state.
package contract

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
)

// Store is one adapter instance's view of a database.
type Store struct {
	Orders    application.OrderRepository
	Acks      application.AlertAcker
	Alerts    application.AlertLog
	Employees application.EmployeeRepository
	Tickets   application.TicketLedger
	Access    application.AccessStore
	Denylist  application.TokenDenylist
	Shops     application.ShopRepository
	Kinds     application.AlertKindRepository

	Integrations application.IntegrationRepository
	Publisher    application.AlertPublisher

	Customers application.CustomerRepository
	Unpaid    application.UnpaidOrders

	Channels application.ChannelRepository
	Schedule application.EscalationSchedule
	Presence application.PresenceStore
	Screens  application.ScreenPresence

	PushSubscriptions application.PushSubscriptions
	PushQueue         application.PushQueue
	// SilenceInstance makes instance's last heartbeat ago old by the store's clock, as a
	// killed instance's becomes.
	SilenceInstance func(t *testing.T, instance string, ago time.Duration)
}

// Backend prepares fresh, empty state for one test and returns a function that opens an
// instance of the adapter on it. Calling the function again opens another instance on the same
// state, as a second process would (a second pool on the same database file or server).
type Backend func(t *testing.T) (open func() Store)

// Run runs every suite against the backend.
func Run(t *testing.T, backend Backend) {
	t.Run("OrderRepository", func(t *testing.T) { OrderRepository(t, backend) })
	t.Run("AlertLog", func(t *testing.T) { AlertLog(t, backend) })
	t.Run("Prune", func(t *testing.T) { Prune(t, backend) })
	t.Run("Reminders", func(t *testing.T) { Reminders(t, backend) })
	t.Run("EmployeeRepository", func(t *testing.T) { Employees(t, backend) })
	t.Run("TicketLedger", func(t *testing.T) { TicketLedger(t, backend) })
	t.Run("Access", func(t *testing.T) { Access(t, backend) })
	t.Run("ShopRepository", func(t *testing.T) { Shops(t, backend) })
	t.Run("AlertKindRepository", func(t *testing.T) { Kinds(t, backend) })
	t.Run("AlertFilter", func(t *testing.T) { AlertFilter(t, backend) })
	t.Run("IntegrationRepository", func(t *testing.T) { Integrations(t, backend) })
	t.Run("AlertPublisher", func(t *testing.T) { Publisher(t, backend) })
	t.Run("AlertAcker", func(t *testing.T) { Acks(t, backend) })
	t.Run("EscalationSchedule", func(t *testing.T) { Escalations(t, backend) })
	t.Run("CustomerRepository", func(t *testing.T) { Customers(t, backend) })
	t.Run("UnpaidOrders", func(t *testing.T) { UnpaidOrders(t, backend) })
	t.Run("Presence", func(t *testing.T) { Presence(t, backend) })
	t.Run("Push", func(t *testing.T) { Push(t, backend) })
}

// baseTime is a fixed instant with microsecond precision, which every database keeps exactly.
var baseTime = time.Date(2026, 11, 27, 6, 23, 13, 123456000, time.UTC)

var numbers atomic.Int64

// newOrder is a valid pending order with a number no other test uses.
func newOrder(userID int64) order.Order {
	n := numbers.Add(1)
	o, err := order.New(order.Draft{
		UserID: userID, AddressBookID: 3, PayMethod: order.PayMethodWeChat, Amount: 4250,
		Remark: "少放辣", Phone: "13800000000", Address: "北京市海淀区 1 号", Consignee: "张三",
		EstimatedDeliveryTime: baseTime.Add(45 * time.Minute), DeliveryStatus: 1,
		PackAmount: 2, TablewareNumber: 2, TablewareStatus: 0,
	}, order.NewNumber(baseTime.Add(time.Duration(n)*time.Millisecond), uint32(n)), baseTime)
	if err != nil {
		panic(err)
	}
	return o
}

func add(t *testing.T, s Store, o order.Order) order.Order {
	t.Helper()
	saved, err := s.Orders.Add(t.Context(), o)
	if err != nil {
		t.Fatalf("Add(%s): %v", o.Number, err)
	}
	if saved.ID <= 0 {
		t.Fatalf("Add(%s) assigned id %d", o.Number, saved.ID)
	}
	return saved
}

func get(t *testing.T, s Store, id int64) order.Order {
	t.Helper()
	o, err := s.Orders.Get(t.Context(), application.ByID(id))
	if err != nil {
		t.Fatalf("Get(%d): %v", id, err)
	}
	return o
}
