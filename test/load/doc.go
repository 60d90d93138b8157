// Package load measures alert delivery end to end: it opens N dashboard sockets the way the
// dashboard does (a ticket each), pre-creates orders, pays M of them at R per second through the
// public API, matches every frame to its alert, and reports connect time, HTTP latency,
// end-to-end latency over every (socket, alert) pair, frames lost and duplicated, and the
// server's peak memory and CPU from /proc. cmd/orderalert-load runs it from the command line;
// test/load/bench runs the standard cases of DESIGN §11 against orderalert and the seed baseline.
package load
