// Package application holds orderalert's use cases — SubmitOrder, ConfirmPayment, RemindOrder,
// GetOrder, ConfirmOrder, ListAlerts — and the ports they need (ports.go). A use case is a plain
// struct with a method; it knows the domain and the ports, never Fiber, Bun, protoactor or fx.
//
// Every use case that rings the shop follows one shape: the order change and its alert are
// committed together by the OrderRepository (the alert log is the outbox), and only after the
// commit is the alert handed to the AlertBroadcaster, which never blocks. A request therefore
// returns as soon as its alert is durable, whatever the dashboards' sockets are doing.
package application
