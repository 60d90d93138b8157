package memory_test

import (
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
		escalations := memory.NewEscalations(s)
		return func() contract.Store {
			return contract.Store{
				Orders: s, Acks: s, Alerts: s, Employees: e, Tickets: l, Access: e, Denylist: e, Shops: shops, Kinds: kinds,
				Integrations: integrations, Publisher: s, Channels: escalations, Schedule: escalations,
			}
		}
	})
}
