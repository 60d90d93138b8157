// Package test holds orderalert's tests that span packages: contract suites every adapter of a
// port must pass (contract), helpers that give each test a fresh PostgreSQL database (pgtest),
// and, later, component, end-to-end and load tests.
package test
