package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/test/contract"
)

func TestStoreContract(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(*testing.T) func() contract.Store {
		s, e, l := memory.NewStore(time.Now), &memory.Employees{}, &memory.TicketLedger{}
		shops, kinds, integrations := memory.NewShops(time.Now()), memory.NewKinds(time.Now()), memory.NewIntegrations()
		escalations, customers, pushes := memory.NewEscalations(s), &memory.Customers{}, memory.NewPush(s, e)
		presence := memory.NewPresence(time.Now, func(id int64) string {
			emp, err := e.ByID(context.Background(), id)
			if err != nil {
				return ""
			}
			return emp.Name
		})
		return func() contract.Store {
			return contract.Store{
				Orders: s, Acks: s, Alerts: s, Employees: e, Tickets: l, Access: e, Denylist: e, Shops: shops, Kinds: kinds,
				Integrations: integrations, Publisher: s, Channels: escalations, Schedule: escalations, Customers: customers, Unpaid: s,
				Presence: presence, Screens: presence, PushSubscriptions: pushes, PushQueue: pushes,
				SilenceInstance: func(_ *testing.T, instance string, ago time.Duration) { presence.Silence(instance, ago) },
			}
		}
	})
}
