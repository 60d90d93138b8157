// Package application holds orderalert's use cases — SubmitOrder, ConfirmPayment, RemindOrder,
// GetOrder, ConfirmOrder, ListAlerts, Logout, LockEmployee, … — and the ports they need
// (ports.go, auth_ports.go, access_ports.go, dashboard_ports.go). A use case is a plain
// struct with a method; it knows the domain and the ports, never Fiber, Bun, protoactor or fx.
//
// Every use case that rings the shop follows one shape: the order change and its alert are
// committed together by the OrderRepository (the alert log is the outbox), and only after the
// commit is the alert handed to the AlertFeedWaker, which never blocks. A request therefore
// returns as soon as its alert is durable, whatever the dashboards' sockets are doing.
//
// Admin credentials are judged by AccessCheck against the account's current record, kept in
// memory and reloaded when the database's change counter moves (SyncChanges, every second and
// after each local change), so that a logout, lock, deletion or new password ends the account's
// sessions on every instance within seconds without a database round trip per request.
package application
