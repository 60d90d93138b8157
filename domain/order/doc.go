// Package order holds the take-out order as sky-take-out models it (statuses 1–6, pay statuses 0–2)
// and the rules orderalert enforces on it: payment confirmation is idempotent and refuses cancelled
// orders, an admin takes only paid orders, and only the owner may remind an order that is being
// prepared or delivered. The reminder cooldown itself is decided by the store against its own clock
// (see application.OrderRepository.Remind), because app clocks of several instances may disagree.
package order
