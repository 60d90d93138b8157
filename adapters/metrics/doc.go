// Package metrics is orderalert's Prometheus adapter: it owns a private registry (the Go and
// process collectors plus the orderalert_* series) and serves it in the exposition format.
//
// The other adapters know nothing of Prometheus. The hub, the PostgreSQL listener and the HTTP
// adapter each declare a small observer interface of their own; *Metrics implements them
// (bootstrap checks it at compile time and wires them with fx). The hub calls Delivered once per
// frame written, so that method does no allocation and no map lookup: every labelled child that
// the hot path touches is resolved once, in New.
package metrics
