// Package http is orderalert's HTTP adapter on Fiber: the REST API the mini-program and the
// admin front end call, the payment webhook, the dashboards' WebSocket upgrade, the embedded
// dashboard and its client library (/sdk/orderalert.js, sdk.go) and the operations endpoints
// (/healthz, /readyz, /metrics). Handlers are thin — decode, call one use
// case, encode — and the server's lifecycle is fx's: it binds its port while the graph is built,
// before the database is opened (listen.go), so a busy port stops start-up, and drains on stop.
//
// Every request gets an id (X-Request-ID, the caller's when it is sane) and a logger carrying it
// as request_id, which every log line about the request uses, the error handler's included.
// Before Fiber sees a request, the edge has had its say (edge*.go): edgeListener bounds the
// connections and gives each a read deadline from its accept, edge refuses unknown methods and
// requests framed twice and sets the headers every response carries, and unreadable answers
// what fasthttp could not parse — all with the envelope, never echoing the request.
// X-Forwarded-* headers count only from the trusted proxies (client_ip.go).
//
// What is served is reported to an Observer (the metrics, wired by bootstrap); the adapter knows
// nothing of Prometheus.
package http
