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

// Token is a signed bearer token.
type Token struct {
	Value     string
	ExpiresAt time.Time
}

// Tokens issues and verifies bearer tokens.
type Tokens interface {
	// Issue signs a token for subject (an employee or user id) in role.
	Issue(role Role, subject int64) (Token, error)
	// Verify returns the subject of token if it is valid for role now; otherwise an error that
	// wraps ErrUnauthenticated.
	Verify(role Role, token string) (int64, error)
}

// EmployeeRepository stores admin accounts.
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
}

// PasswordHasher hashes passwords one way.
type PasswordHasher interface {
	Hash(password string) (string, error)
	// Matches reports whether password is the one hash was made from.
	Matches(hash, password string) bool
}
