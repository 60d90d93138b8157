package employee

import (
	"time"

	"github.com/orderalert/orderalert/domain/shop"
)

// Access is what an admin token is checked against on every request: the account's standing,
// not the token's own claims, which cannot be taken back once signed. It is kept per account id
// and grows with what a request's scope depends on.
type Access struct {
	Status       Status
	TokenVersion int64
	// Deleted: the account is gone. Ids are never reused, so it never comes back.
	Deleted bool
	// ShopID is the shop the account works for, 0 for platform staff: what its requests and
	// sockets see.
	ShopID int64
}

// Access is the account's current standing.
func (e Employee) Access() Access {
	return Access{Status: e.Status, TokenVersion: e.TokenVersion, ShopID: e.ShopID}
}

// Scope is what the account sees: its shop, or every shop for platform staff.
func (a Access) Scope() shop.Scope {
	if a.ShopID == 0 {
		return shop.Everything()
	}
	return shop.Only(a.ShopID)
}

// Admits reports whether a token issued at tokenVersion may act for the account now: it exists,
// is enabled, and its tokens' version is still the token's.
func (a Access) Admits(tokenVersion int64) bool {
	return !a.Deleted && a.Status == StatusEnabled && a.TokenVersion == tokenVersion
}

// Revoked reports whether a token issued at tokenVersion can never act for the account again:
// the account was deleted or its tokens' version has moved past the token's. Versions only grow
// and deleted accounts never return, so even a copy of Access that is behind the account can
// tell this for sure; a copy that is behind cannot tell whether a token it does not admit is
// newer than itself.
func (a Access) Revoked(tokenVersion int64) bool {
	return a.Deleted || a.TokenVersion > tokenVersion
}

// Lock disables the account (sky-take-out's status 0) and ends every token issued before: they
// stay dead after an Unlock.
func (e *Employee) Lock(now time.Time) {
	e.Status = StatusLocked
	e.TokenVersion++
	e.UpdateTime = now
}

// Unlock enables the account again. Tokens issued before its lock stay dead; the employee logs
// in anew.
func (e *Employee) Unlock(now time.Time) {
	e.Status = StatusEnabled
	e.UpdateTime = now
}

// SetPassword checks and stores a new password and ends every token issued before, so that a
// password changed because it leaked also ends the sessions opened with it.
func (e *Employee) SetPassword(password string, hash func(string) (string, error), now time.Time) error {
	h, err := hashPassword(password, hash)
	if err != nil {
		return err
	}
	e.PasswordHash = h
	e.TokenVersion++
	e.UpdateTime = now
	return nil
}
