package application

import (
	"context"
	"fmt"
	"time"

	"github.com/orderalert/orderalert/domain/employee"
)

// ErrRevoked is an admin credential that was valid once and no longer is: its token was logged
// out, or its account was locked, deleted or given a new password since the token was issued.
// The client must log in again.
var ErrRevoked = fmt.Errorf("%w: credentials revoked", ErrUnauthenticated)

// AccessRecords are the database's account of which admin tokens may still act, as AccessCheck
// keeps it in memory.
type AccessRecords struct {
	// Employees is every account by id, deleted ones included (their ids are never reused).
	Employees map[int64]employee.Access
	// Denied holds the ids of the logged-out admin tokens that have not expired.
	Denied map[string]struct{}
}

// AccessStore reads what AccessCheck keeps in memory.
type AccessStore interface {
	// Changes returns the change counter. It moves, in the same transaction, with every
	// committed change that instances keep a copy of — accounts and logouts, and later what the
	// command line creates — so that an instance need only poll this one number to know that its
	// copies are behind. It never goes back.
	Changes(ctx context.Context) (int64, error)
	// LoadAccess returns every account's access and the tokens denied and not expired at now.
	LoadAccess(ctx context.Context, now time.Time) (AccessRecords, error)
	// CurrentAccess reads one account's access and whether the token id is denied, straight from
	// the database. An account that does not exist (any more) is employee.ErrNotFound.
	CurrentAccess(ctx context.Context, empID int64, tokenID string) (a employee.Access, denied bool, err error)
}

// TokenDenylist remembers the admin tokens that were logged out, on every instance.
type TokenDenylist interface {
	// Deny refuses the admin token with id, of employee empID, until expiresAt; denying it again
	// is harmless. It moves the change counter in the same transaction and forgets denials that
	// have expired.
	Deny(ctx context.Context, id string, empID int64, expiresAt time.Time) error
}

// ChangeSync brings this instance up to date with a change it has just committed.
type ChangeSync interface {
	// Sync is called after a commit that moved the change counter, so that the change holds on
	// this instance — its requests refused, its sockets closed — before the caller is answered.
	// Other instances catch up when they next poll the counter.
	Sync(ctx context.Context) error
}
