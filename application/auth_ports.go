package application

import (
	"context"
	"errors"
	"time"

	"github.com/orderalert/orderalert/domain/employee"
)

// ErrUnauthenticated is a missing, malformed, expired or wrongly signed credential, or one of
// another role (a customer's token on an admin route, a ticket on REST).
var ErrUnauthenticated = errors.New("unauthenticated")

// Role is what a token lets its bearer do. A token is valid for exactly one role.
type Role int

// The roles.
const (
	RoleAdmin  Role = iota + 1 // the shop's staff, on admin routes (claim empId)
	RoleUser                   // a customer of the mini-program, on user routes (claim userId)
	RoleTicket                 // a short-lived ticket that opens one dashboard socket
)

// String is for messages.
func (r Role) String() string {
	switch r {
	case RoleAdmin:
		return "admin"
	case RoleUser:
		return "user"
	case RoleTicket:
		return "ticket"
	}
	return "unknown role"
}

// Claims are what a token says about its bearer.
type Claims struct {
	Subject int64 // the employee (admin tokens and tickets) or the customer (user tokens)
	// ID is the token's own id (JWT jti), drawn by Issue for admin tokens and tickets: logout
	// denies it, and a ticket's id makes it single-use.
	ID string
	// Version is the employee's token version when the admin token was issued (claim tv); a
	// ticket carries its parent token's. Only tokens of the current version act for an account.
	Version int64
	// Parent is a ticket's: the id of the admin token it was issued with (claim pjti), so that a
	// socket opened with a ticket ends with that token.
	Parent string
	// ShopID is the shop of the account when the admin token or ticket was issued (claim shopId),
	// 0 for platform staff. It informs front ends; what a request sees comes from AccessCheck.
	ShopID    int64
	ExpiresAt time.Time // set by Issue
}

// Credential is what an admin request, or the dashboard socket it opens, is checked against:
// whose token, which token, and the version it was issued at.
type Credential struct {
	EmpID   int64
	TokenID string // the admin token's id; for a ticket, its parent's
	Version int64
}

// Credential is who the claims of an admin token or ticket act for.
func (c Claims) Credential() Credential {
	id := c.ID
	if c.Parent != "" {
		id = c.Parent
	}
	return Credential{EmpID: c.Subject, TokenID: id, Version: c.Version}
}

// Token is a signed bearer token and its claims.
type Token struct {
	Value string
	Claims
}

// Tokens issues and verifies bearer tokens.
type Tokens interface {
	// Issue signs a token in role with the claims' Subject, Version, Parent and ShopID; it draws the id of
	// admin tokens and tickets and sets the expiry.
	Issue(role Role, c Claims) (Token, error)
	// Verify returns the claims of token if it is a valid token of role now; otherwise an error
	// that wraps ErrUnauthenticated. Admin tokens and tickets without an id are not valid.
	Verify(role Role, token string) (Claims, error)
}

// EmployeeRepository stores admin accounts. Every change it commits (Add, AddFirst, Update,
// Delete) moves the change counter (AccessStore.Changes) in the same transaction, so that every
// instance learns of it.
type EmployeeRepository interface {
	// ByUsername returns the account, or employee.ErrNotFound.
	ByUsername(ctx context.Context, username string) (employee.Employee, error)
	// Add stores a new account and returns it with its id; employee.ErrUsernameTaken if the
	// username is in use.
	Add(ctx context.Context, e employee.Employee) (employee.Employee, error)
	// AddFirst stores e only if there is no account at all, and reports whether it did. Several
	// instances starting at once on an empty table create one account between them.
	AddFirst(ctx context.Context, e employee.Employee) (bool, error)
	// Count returns how many accounts exist.
	Count(ctx context.Context) (int, error)
	// ByID returns the account, or employee.ErrNotFound.
	ByID(ctx context.Context, id int64) (employee.Employee, error)
	// Update loads the account inside a transaction that excludes every other Update or Delete of
	// it until commit and calls change once. If change fails nothing is written and its error is
	// returned; otherwise the account as change left it is saved (its id, username and creation
	// time are not change's to alter) and returned. Unknown username: employee.ErrNotFound.
	Update(ctx context.Context, username string, change func(e *employee.Employee) error) (employee.Employee, error)
	// Delete removes the account and returns it as it was; employee.ErrNotFound if there is none.
	// Its id is never given to another account.
	Delete(ctx context.Context, username string) (employee.Employee, error)
}

// PasswordHasher hashes passwords one way.
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Matches reports whether password is the one hash was made from.
	Matches(hash, password string) bool
}
