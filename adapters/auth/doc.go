// Package auth holds the credential adapters: HS256 JWTs with sky-take-out's claim names (empId
// for staff, userId for customers) and short-lived WebSocket tickets, bcrypt password hashes, and
// the in-memory login throttle (failed logins per username and per client address).
//
// A token is valid for one role only. Staff and customer tokens are signed with different
// secrets and carry different claims; a ticket is a staff token with audience "ws", a random id
// and a one-minute life, which REST routes refuse. Staff tokens carry a random id (jti) and their
// account's token version (tv), and a ticket its parent token's jti (pjti) and tv, so that they
// can be revoked (application.AccessCheck); staff tokens without them are refused. Only HS256 is accepted, so "alg": "none" and
// algorithm-confusion tokens fail, and every token must carry an expiry.
package auth
