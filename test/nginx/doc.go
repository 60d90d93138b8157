// Package nginx tests deploy/nginx.conf as shipped: real nginx (Debian's /usr/sbin/nginx) runs
// the file, with only its marked lines (listen port, upstream addresses, access log) replaced,
// in front of two real `orderalert serve` processes on one fresh PostgreSQL database. Through
// nginx a dashboard logs in, gets a ticket, opens its socket with a browser's Origin and
// receives the alerts that the mini-program's calls create; the sockets are spread over both
// instances, survive idle periods on the server's pings, and no ticket reaches the access log.
//
// Without nginx the tests skip, except under CI=true, where they fail (.ci/run installs it).
package nginx
