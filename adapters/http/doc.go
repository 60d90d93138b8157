// Package http is orderalert's HTTP adapter on Fiber: the REST API the mini-program and the
// admin front end call, the payment webhook, the dashboards' WebSocket upgrade and the
// operations endpoints (/healthz, /readyz, /metrics). Handlers are thin — decode, call one use
// case, encode — and the server's lifecycle is fx's: it binds its port on start, so a busy port
// stops start-up, and drains on stop.
//
// Every request gets an id (X-Request-ID, the caller's when it is sane) and a logger carrying it
// as request_id, which every log line about the request uses, the error handler's included.
// What is served is reported to an Observer (the metrics, wired by bootstrap); the adapter knows
// nothing of Prometheus.
package http
