package application

import (
	"context"
	"errors"
	"time"

	"github.com/orderalert/orderalert/domain/shop"
)

// CloseReason is why the server closes a dashboard's socket: a WebSocket close code and a short
// text. Codes 4000–4499 mean "reconnect with lastAlertId", 4500–4999 "do not reconnect by
// yourself" (api/asyncapi.yaml).
type CloseReason struct {
	Code int
	Text string
}

// The reasons the server closes a socket.
var (
	CloseNormal       = CloseReason{1000, "bye"}
	CloseShutdown     = CloseReason{1001, "server shutting down"}
	CloseInternal     = CloseReason{1011, "internal error"}
	CloseTryAgain     = CloseReason{1013, "try again later: reconnect with lastAlertId after a backoff"}
	CloseSlowConsumer = CloseReason{4008, "slow consumer: reconnect with lastAlertId"}
	CloseResync       = CloseReason{4010, "lastAlertId is ahead of the server: reload the history"}
	CloseReplaced     = CloseReason{4509, "replaced by a newer socket with the same sid"}
	// CloseRevoked is the one exception in 4000–4499: the credential the socket was opened with
	// was logged out or revoked, so reconnecting needs a fresh login, not the old token.
	CloseRevoked = CloseReason{4401, "credentials revoked: log in again"}
)

// The reasons the server closes a socket whose client broke RFC 6455 or the socket's limits
// (api/asyncapi.yaml): the client should be fixed; reconnecting as it is repeats the close.
var (
	CloseProtocolError = CloseReason{1002, "protocol error"}
	CloseInvalidText   = CloseReason{1007, "text must be valid UTF-8"}
	CloseTooManyFrames = CloseReason{1008, "too many frames: over the frame budget"}
	CloseFrameTooBig   = CloseReason{1009, "message over 4 KiB"}
	// A ?events=1 socket's state messages (DESIGN §14): small, and about one a second.
	CloseStateTooBig   = CloseReason{1008, "state message over 256 bytes"}
	CloseTooManyStates = CloseReason{1008, "too many state messages: over 10 in 10 s"}
)

// SlowConsumerCause says why a socket is closed with CloseSlowConsumer (a metric's label).
type SlowConsumerCause string

// The causes of CloseSlowConsumer.
const (
	SlowQueueFull    SlowConsumerCause = "queue_full"    // more frames pending than the queue limit
	SlowWriteTimeout SlowConsumerCause = "write_timeout" // one write blocked past the write timeout
)

// DashboardSocket is the write side of one dashboard's WebSocket. It is safe for concurrent use.
type DashboardSocket interface {
	// Send writes the frames in order, one text frame each, in as few system calls as it can,
	// waiting at most the write timeout (then ErrWriteTimeout); it fails at once when the
	// socket is closing or its handler has ended.
	Send(frames ...[]byte) error
	// Ping writes a WebSocket ping, waiting at most the write timeout (then ErrWriteTimeout).
	Ping() error
	// Close starts closing the socket for reason. It never blocks: a Send in progress fails at
	// once, and the socket's handler sends the close frame and ends. The first reason wins.
	Close(reason CloseReason)
}

// DashboardOptions describe one socket.
type DashboardOptions struct {
	// SID is the page's client id, unique within one admin account: a newer socket of the
	// same admin with the same sid replaces this one; another admin's does not.
	SID     string
	AdminID int64
	// TokenID and TokenVersion are those of the admin token the socket was opened with (directly
	// or through a ticket): the socket is closed when that token is revoked.
	TokenID      string
	TokenVersion int64
	// LastAlertID, when set, asks for every stored alert after it before the live ones.
	LastAlertID *int64
	// Heartbeat asks for a {"type":0} frame every ping interval, which browsers can see, in
	// addition to the ping every socket gets.
	Heartbeat bool
	// Shops is what the socket receives, live and in its replay: the employee's shop, or for
	// platform staff every shop or those named with ?shopId=.
	Shops shop.Scope
	// Events (?events=1) asks for alerts of every kind (and implies Heartbeat); without it a
	// socket receives only kinds 1 and 2, the ones the original front ends understand.
	Events bool
}

// Filter is what the socket receives of the log.
func (o DashboardOptions) Filter() AlertFilter {
	return AlertFilter{Shops: o.Shops, AllKinds: o.Events, Events: o.Events}
}

// Dashboards delivers alerts to the connected dashboards of this instance.
type Dashboards interface {
	// Attach starts delivering to socket: when LastAlertID is set, first every stored alert after
	// it in id order, then live alerts; each id at most once and in increasing order. detach must
	// be called once the socket has ended; after it returns nothing writes to socket any more.
	Attach(socket DashboardSocket, opts DashboardOptions) (detach func(), err error)
	// Revoke closes with CloseRevoked every socket whose credential holds refuses, and every
	// socket attached later whose credential it refuses (holds is kept until the next Revoke). It
	// returns at once; holds is called on the hub's own goroutine, so it must answer from memory.
	Revoke(holds func(Credential) bool)
}

// Credential is the credential the socket was opened with.
func (o DashboardOptions) Credential() Credential {
	return Credential{EmpID: o.AdminID, TokenID: o.TokenID, Version: o.TokenVersion}
}

// ErrWriteTimeout is a socket write that did not finish within the write timeout: the client
// is not reading.
var ErrWriteTimeout = errors.New("socket write timed out")

// TicketLedger remembers the tickets that were used, on every instance.
type TicketLedger interface {
	// Use records ticket id as used until expiresAt; a ticket used before gives an error
	// wrapping ErrUnauthenticated. Of concurrent uses of one ticket exactly one succeeds.
	Use(ctx context.Context, id string, expiresAt time.Time) error
}
