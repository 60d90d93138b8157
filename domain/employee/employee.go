// Package employee is the shop's staff who log in to the admin dashboard (sky-take-out's
// employee table). Passwords are kept only as bcrypt hashes; the rules of a valid account live here.
package employee

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Errors of the employee domain; match them with errors.Is.
var (
	// ErrNotFound: no employee has this username.
	ErrNotFound = errors.New("employee not found")
	// ErrUsernameTaken: another employee has this username.
	ErrUsernameTaken = errors.New("username already taken")
	// ErrBadCredentials: unknown username or wrong password; the two are not told apart.
	ErrBadCredentials = errors.New("wrong username or password")
	// ErrLocked: the account is disabled (sky-take-out's status 0, 账号被锁定).
	ErrLocked = errors.New("account locked")
	// ErrInvalid: the account's data breaks a rule.
	ErrInvalid = errors.New("invalid employee")
)

// Status is sky-take-out's employee status.
type Status int

// Employee statuses.
const (
	StatusLocked  Status = 0
	StatusEnabled Status = 1
)

// MinPasswordLength is the shortest password accepted for a new account.
const MinPasswordLength = 8

// Employee is one admin account.
type Employee struct {
	ID           int64
	Name         string
	Username     string
	PasswordHash string
	Phone        string
	Status       Status
	// TokenVersion is the version of the account's admin tokens: a token carries the version it
	// was issued at, and only tokens of the current version act for the account. Locking the
	// account or changing its password moves it on, ending every token issued before.
	TokenVersion int64
	// ShopID is the shop the employee works for, or 0 for platform staff, who see every shop.
	// Whatever comes to move an employee to another shop must move TokenVersion on too (DESIGN
	// §20.6): its open sockets were admitted for the old shop. Nothing does yet.
	ShopID     int64
	CreateTime time.Time
	UpdateTime time.Time
}

// New returns an enabled account after checking its name, username and password; hash turns the
// password into what is stored.
func New(name, username, password string, hash func(string) (string, error), now time.Time) (Employee, error) {
	if err := validUsername(username); err != nil {
		return Employee{}, err
	}
	if n := utf8.RuneCountInString(name); n == 0 || n > 32 {
		return Employee{}, fmt.Errorf("%w: name must have 1 to 32 characters", ErrInvalid)
	}
	h, err := hashPassword(password, hash)
	if err != nil {
		return Employee{}, err
	}
	return Employee{Name: name, Username: username, PasswordHash: h, Status: StatusEnabled, CreateTime: now, UpdateTime: now}, nil
}

// hashPassword checks a new password and returns its hash.
func hashPassword(password string, hash func(string) (string, error)) (string, error) {
	if utf8.RuneCountInString(password) < MinPasswordLength || len(password) > 72 {
		// bcrypt reads at most 72 bytes; a longer password would be silently cut.
		return "", fmt.Errorf("%w: password must have %d characters to 72 bytes", ErrInvalid, MinPasswordLength)
	}
	h, err := hash(password)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

func validUsername(u string) error {
	if len(u) < 3 || len(u) > 32 {
		return fmt.Errorf("%w: username must have 3 to 32 characters", ErrInvalid)
	}
	for _, r := range u {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (r < '0' || r > '9') && r != '_' && r != '-' && r != '.' {
			return fmt.Errorf("%w: username may hold only letters, digits, '_', '-' and '.'", ErrInvalid)
		}
	}
	return nil
}

// CanLogIn reports ErrLocked for a disabled account.
func (e Employee) CanLogIn() error {
	if e.Status != StatusEnabled {
		return ErrLocked
	}
	return nil
}
