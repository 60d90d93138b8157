// Package memory holds in-process adapters: a Store that implements the order repository and the
// alert log in memory, and a CommitRecorder that records what it is given. The Store passes the same
// contract suites as the databases (test/contract), so use-case tests can trust it; it keeps
// nothing across restarts and serves one process only.
package memory
