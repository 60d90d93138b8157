// Package presence records this instance's dashboard sockets in the presence shared by every
// instance (GET /admin/presence, the escalation's no_screen question).
//
// Concurrency: the Tracker is called from the sockets' read loops and handlers, which must never
// wait on the database, so it only updates two maps under a mutex held for a few map operations:
// the screens that are connected, and the changes not yet written (one per screen, the last
// wins, which is what coalesces state messages faster than the write interval). The Writer's one
// goroutine takes the pending changes every second and applies them as one batch, heartbeats the
// instance's row every ping interval and prunes old rows now and then. A batch that fails is put
// back under any newer change of the same screen and tried again a second later.
//
// A stopping instance deletes its rows (Forget); one that is killed leaves them behind, and its
// heartbeat stops: readers ignore the rows of an instance silent for two ping intervals, and any
// instance prunes them after ten minutes.
package presence
