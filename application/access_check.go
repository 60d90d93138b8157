package application

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orderalert/orderalert/domain/employee"
)

// AccessCheck decides whether an admin credential still acts for its employee: the account
// exists and is enabled, the token's version is the account's current one, and the token was not
// logged out. The scope of a request comes from the account's current record, not from the token
// alone, which cannot be taken back once signed.
//
// It answers from a copy of the database kept in memory, so that checking a request costs no
// database round trip. Refresh reloads the copy when the change counter has moved; it is called
// every second and right after this instance commits a change. A copy not refreshed for maxStale
// is not trusted: every check then reads the database.
//
// The copy may be a refresh behind the database. It refuses by itself only what can never be
// valid again (a denied token, a version passed, a deleted account); a credential it cannot
// vouch for — of an account created, unlocked or logged into since — is checked against the
// database.
type AccessCheck struct {
	store    AccessStore
	clock    Clock
	maxStale time.Duration

	mu        sync.Mutex // one refresh at a time, so that an older copy never replaces a newer one
	copy      atomic.Pointer[accessCopy]
	refreshed atomic.Int64 // the clock's time of the last successful refresh, in Unix nanoseconds
}

// NewAccessCheck returns a check on store with no copy yet: until the first Refresh every check
// reads the database.
func NewAccessCheck(store AccessStore, clock Clock, maxStale time.Duration) *AccessCheck {
	return &AccessCheck{store: store, clock: clock, maxStale: maxStale}
}

// accessCopy is one load of the records, with the change counter read before it.
type accessCopy struct {
	changes int64
	AccessRecords
}

type verdict int

const (
	unsure verdict = iota
	admitted
	refused
)

func (c *accessCopy) judge(cred Credential) (verdict, employee.Access) {
	if _, denied := c.Denied[cred.TokenID]; denied {
		return refused, employee.Access{}
	}
	a, known := c.Employees[cred.EmpID]
	switch {
	case !known:
		return unsure, a
	case a.Revoked(cred.Version):
		return refused, a
	case a.Admits(cred.Version):
		return admitted, a
	}
	return unsure, a
}

// Check returns the account's current access — with the shop it works for, which is the scope of
// what cred may see — if cred may act now; an error wrapping ErrRevoked if it may not, or the
// database's error when the database had to be asked and could not answer. The scope comes from
// the record, never from the token's shopId claim.
func (a *AccessCheck) Check(ctx context.Context, cred Credential) (employee.Access, error) {
	if c := a.fresh(); c != nil {
		switch v, acc := c.judge(cred); v {
		case admitted:
			return acc, nil
		case refused:
			return employee.Access{}, fmt.Errorf("employee %d: %w", cred.EmpID, ErrRevoked)
		}
	}
	acc, denied, err := a.store.CurrentAccess(ctx, cred.EmpID, cred.TokenID)
	switch {
	case errors.Is(err, employee.ErrNotFound):
		return employee.Access{}, fmt.Errorf("employee %d is gone: %w", cred.EmpID, ErrRevoked)
	case err != nil:
		return employee.Access{}, fmt.Errorf("check the credential of employee %d: %w", cred.EmpID, err)
	case denied || !acc.Admits(cred.Version):
		return employee.Access{}, fmt.Errorf("employee %d: %w", cred.EmpID, ErrRevoked)
	}
	return acc, nil
}

// Holds reports, from the copy alone, whether cred may still hold an open socket: false only
// when the copy is sure it is revoked. It never waits on the database.
func (a *AccessCheck) Holds(cred Credential) bool {
	c := a.copy.Load()
	if c == nil {
		return true
	}
	v, _ := c.judge(cred)
	return v != refused
}

// fresh is the copy if it was refreshed within maxStale, else nil.
func (a *AccessCheck) fresh() *accessCopy {
	c := a.copy.Load()
	if c == nil || a.clock.Now().Sub(time.Unix(0, a.refreshed.Load())) > a.maxStale {
		return nil
	}
	return c
}

// Refresh reads the change counter and, when it has moved since the copy was loaded (or there is
// no copy), loads a new copy; it reports whether it did.
func (a *AccessCheck) Refresh(ctx context.Context) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	// Taken before the reads: the copy is at least as new as this.
	now := a.clock.Now()
	n, err := a.store.Changes(ctx)
	if err != nil {
		return false, fmt.Errorf("read the change counter: %w", err)
	}
	if c := a.copy.Load(); c != nil && c.changes == n {
		a.refreshed.Store(now.UnixNano())
		return false, nil
	}
	// The counter was read first: whatever the records show is at least as new as n, and a
	// change committed meanwhile moves the counter past n and is loaded next time.
	records, err := a.store.LoadAccess(ctx, now)
	if err != nil {
		return false, fmt.Errorf("load the access records: %w", err)
	}
	a.copy.Store(&accessCopy{changes: n, AccessRecords: records})
	a.refreshed.Store(now.UnixNano())
	return true, nil
}
