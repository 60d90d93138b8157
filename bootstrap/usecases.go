package bootstrap

import (
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/adapters/clock"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// useCases binds the application's use cases to the adapters behind their ports.
func useCases(cfg Config) fx.Option {
	return fx.Module("application",
		loginLimits(cfg),
		fx.Provide(
			fx.Annotate(func() clock.System { return clock.System{} }, fx.As(new(application.Clock))),
			func(o application.OrderRepository, s application.ShopRepository, c application.Clock) application.SubmitOrder {
				return application.SubmitOrder{Orders: o, Shops: s, Clock: c}
			},
			func(o application.OrderRepository, b application.AlertFeedWaker, c application.Clock) application.ConfirmPayment {
				return application.ConfirmPayment{Orders: o, Feed: b, Clock: c}
			},
			func(o application.OrderRepository, confirm application.ConfirmPayment, c application.CustomerRepository, p application.Prepayments, clock application.Clock) application.PayOrder {
				return application.PayOrder{Orders: o, Confirm: confirm, Simulated: cfg.PaymentMode == PaymentSimulate, Prepay: application.PrepayOrder{
					Orders: o, Customers: c, Payments: p, Clock: clock, Timeout: cfg.PaymentTimeout,
				}}
			},
			func(o application.OrderRepository, confirm application.ConfirmPayment) application.ApplyPayment {
				return application.ApplyPayment{Orders: o, Confirm: confirm, MchID: cfg.WeChatPayMchID, AppID: cfg.WeChatPayAppID}
			},
			func(n application.PaymentNotifications, apply application.ApplyPayment) application.HandlePaymentNotification {
				return application.HandlePaymentNotification{Notifications: n, Apply: apply}
			},
			func(o application.OrderRepository, b application.AlertFeedWaker, c application.Clock) application.RemindOrder {
				return application.RemindOrder{Orders: o, Feed: b, Clock: c, Cooldown: cfg.ReminderCooldown}
			},
			func(o application.OrderRepository) application.GetOrder { return application.GetOrder{Orders: o} },
			func(o application.OrderRepository, e application.EmployeeRepository, f application.AlertFeedWaker, ob application.AckObserver, c application.Clock) application.ConfirmOrder {
				return application.ConfirmOrder{Orders: o, Employees: e, Feed: f, Observer: ob, Clock: c}
			},
			func(a application.AlertAcker, e application.EmployeeRepository, f application.AlertFeedWaker, ob application.AckObserver, c application.Clock) application.AckAlert {
				return application.AckAlert{Acks: a, Employees: e, Feed: f, Observer: ob, Clock: c}
			},
			func(c application.ChannelRepository, s application.ShopRepository, clock application.Clock) application.AddChannel {
				return application.AddChannel{Channels: c, Shops: s, Clock: clock}
			},
			func(c application.ChannelRepository) application.ListChannels {
				return application.ListChannels{Channels: c}
			},
			func(c application.ChannelRepository) application.RemoveChannel {
				return application.RemoveChannel{Channels: c}
			},
			// Acks are observed by metrics when the service runs (observability); tools count nothing.
			func() application.AckObserver { return noAckObserver{} },
			func(a application.AlertLog) application.ListAlerts { return application.ListAlerts{Alerts: a} },
			// Readers allow an instance two ping intervals between heartbeats (DESIGN §14).
			func(p application.PresenceStore) application.ListPresence {
				return application.ListPresence{Store: p, StaleAfter: 2 * cfg.WSPingInterval}
			},
			func(a application.AlertLog, c application.Clock) application.PruneAlerts {
				return application.PruneAlerts{Alerts: a, Clock: c, Retention: cfg.AlertRetention}
			},
			newLogin,
			func(t application.Tokens) application.IssueTicket { return application.IssueTicket{Tokens: t} },
			func(t application.Tokens, l application.TicketLedger, a *application.AccessCheck) application.AuthorizeDashboard {
				return application.AuthorizeDashboard{Tokens: t, Ledger: l, Access: a}
			},
			func(e application.EmployeeRepository, s application.ShopRepository, h application.PasswordHasher, c application.Clock) application.CreateEmployee {
				return application.CreateEmployee{Employees: e, Shops: s, Hasher: h, Clock: c}
			},
			func(s application.ShopRepository, c application.Clock) application.CreateShop {
				return application.CreateShop{Shops: s, Clock: c}
			},
			func(s application.ShopRepository) application.ListShops { return application.ListShops{Shops: s} },
			func(k application.AlertKindRepository, c application.Clock) application.CreateAlertKind {
				return application.CreateAlertKind{Kinds: k, Clock: c}
			},
			func(k application.AlertKindRepository) application.ListAlertKinds {
				return application.ListAlertKinds{Kinds: k}
			},
			func(i application.IntegrationRepository, s application.ShopRepository, c application.Clock) application.CreateIntegration {
				return application.CreateIntegration{Integrations: i, Shops: s, Clock: c}
			},
			func(i application.IntegrationRepository) application.ListIntegrations {
				return application.ListIntegrations{Integrations: i}
			},
			func(i application.IntegrationRepository, c application.Clock) application.RevokeIntegration {
				return application.RevokeIntegration{Integrations: i, Clock: c}
			},
			func(e application.EmployeeRepository, h application.PasswordHasher, c application.Clock) application.EnsureFirstAdmin {
				return application.EnsureFirstAdmin{Employees: e, Hasher: h, Clock: c}
			},
		),
		revocation(),
	)
}

// revocation binds the use cases that end sessions. What SyncChanges needs (the hub) exists only
// in Serve, which binds it as the ChangeSync; Tools bind a ChangeSync that does nothing.
func revocation() fx.Option {
	return fx.Provide(
		func(s application.AccessStore, c application.Clock) *application.AccessCheck {
			return application.NewAccessCheck(s, c, accessMaxStale)
		},
		func(a *application.AccessCheck, d application.Dashboards) application.SyncChanges {
			return application.SyncChanges{Access: a, Dashboards: d}
		},
		func(d application.TokenDenylist, s application.ChangeSync, p application.PushSubscriptions) application.Logout {
			return application.Logout{Denylist: d, Sync: s, Push: p}
		},
		func(e application.EmployeeRepository, c application.Clock, s application.ChangeSync) application.LockEmployee {
			return application.LockEmployee{Employees: e, Clock: c, Sync: s}
		},
		func(e application.EmployeeRepository, c application.Clock, s application.ChangeSync) application.UnlockEmployee {
			return application.UnlockEmployee{Employees: e, Clock: c, Sync: s}
		},
		func(e application.EmployeeRepository, h application.PasswordHasher, c application.Clock, s application.ChangeSync) application.ChangePassword {
			return application.ChangePassword{Employees: e, Hasher: h, Clock: c, Sync: s}
		},
		func(e application.EmployeeRepository, s application.ChangeSync) application.DeleteEmployee {
			return application.DeleteEmployee{Employees: e, Sync: s}
		},
		func(e application.EmployeeRepository, t application.Tokens) application.IssueAdminToken {
			return application.IssueAdminToken{Employees: e, Tokens: t}
		},
	)
}

// newLogin hashes a throwaway password once, for Login to compare against when a username does
// not exist, so that both failures cost the same time.
func newLogin(e application.EmployeeRepository, h application.PasswordHasher, t application.Tokens, throttle application.LoginThrottle, checks *application.PasswordChecks) (application.Login, error) {
	dummy, err := randomText(12)
	if err != nil {
		return application.Login{}, err
	}
	hash, err := h.Hash(dummy)
	if err != nil {
		return application.Login{}, err
	}
	return application.Login{Employees: e, Hasher: h, Tokens: t, Throttle: throttle, Checks: checks, DummyHash: hash}, nil
}

// noAckObserver is the AckObserver of a graph without metrics.
type noAckObserver struct{}

func (noAckObserver) Acknowledged(alert.Alert) {}
