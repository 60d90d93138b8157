// Package http is orderalert's HTTP adapter on Fiber: the operations endpoints (/healthz,
// /readyz) for now, and the REST API the mini-program and the admin front end call. Handlers are
// thin — decode, call one use case, encode — and the server's lifecycle is fx's: it binds its port
// on start, so a busy port stops start-up, and drains on stop.
package http
