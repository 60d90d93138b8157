// Package fault holds the fault tests of orderalert: real `orderalert serve` processes under a
// steady stream of payments and reminders, with real reconnecting dashboards, while something
// goes wrong — a process killed with SIGKILL and restarted on the same SQLite file or
// PostgreSQL database, every PostgreSQL backend of the database terminated over and over, one
// of two instances killed, a SIGTERM in the middle of the traffic.
//
// Each test ends with the delivery invariant of DESIGN §7: every alert whose HTTP call returned
// success is stored and was delivered to every dashboard at least once; each dashboard saw
// every stored alert and nothing else (deduplicated by id across its reconnects, as the web
// dashboard does); within one socket ids never repeat and always increase. The tests are
// bounded by contexts and run with `go test ./...`; they print what they measured (with -v).
package fault
