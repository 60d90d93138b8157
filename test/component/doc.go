// Package component drives the real fx graph of orderalert over HTTP, on port 0, against a fresh
// SQLite file and a fresh PostgreSQL database: the mini-program's path, the admin's path, the
// WeChat Pay webhook, every authentication failure and every class of bad input. Every response
// a test receives is validated against api/openapi.yaml, so the published contract cannot drift
// from the code.
package component
