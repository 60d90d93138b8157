package application

import (
	"context"
	"errors"
	"fmt"

	"github.com/orderalert/orderalert/domain/employee"
)

// Login lets a member of staff in with username and password (POST /admin/employee/login).
type Login struct {
	Employees EmployeeRepository
	Hasher    PasswordHasher
	Tokens    Tokens
	// Throttle refuses guessing before any password is compared.
	Throttle LoginThrottle
	// Checks bounds the comparisons that run at once.
	Checks *PasswordChecks
	// DummyHash is compared against when the username is unknown, so that a wrong username
	// costs as much time as a wrong password and timing reveals no account names.
	DummyHash string
}

// LoginResult is the account and its admin token.
type LoginResult struct {
	Employee employee.Employee
	Token    Token
}

// Execute checks the credentials of a login from clientIP; unknown usernames and wrong
// passwords are the same employee.ErrBadCredentials, a disabled account employee.ErrLocked.
// Over the failure budget it returns ErrTooManyAttempts, and with too many comparisons running
// ErrLoginBusy, both as a *RetryAfterError and without comparing anything.
func (uc Login) Execute(ctx context.Context, username, password, clientIP string) (LoginResult, error) {
	settle, err := uc.Throttle.Admit(LoginAttempt{Username: username, ClientIP: clientIP})
	if err != nil {
		return LoginResult{}, err
	}
	res, err := uc.check(ctx, username, password)
	switch {
	case err == nil:
		settle(LoginSucceeded)
	case errors.Is(err, employee.ErrBadCredentials):
		settle(LoginFailed)
	default:
		// A locked account had the right password; a busy server or database compared nothing.
		settle(LoginAbandoned)
	}
	return res, err
}

func (uc Login) check(ctx context.Context, username, password string) (LoginResult, error) {
	e, err := uc.Employees.ByUsername(ctx, username)
	if err != nil && !errors.Is(err, employee.ErrNotFound) {
		return LoginResult{}, fmt.Errorf("login: %w", err)
	}
	release, err := uc.Checks.acquire(ctx)
	if err != nil {
		return LoginResult{}, err
	}
	hash := e.PasswordHash
	if hash == "" {
		hash = uc.DummyHash
	}
	matches := uc.Hasher.Matches(hash, password)
	release()
	if !matches || e.PasswordHash == "" {
		return LoginResult{}, employee.ErrBadCredentials
	}
	if err := e.CanLogIn(); err != nil {
		return LoginResult{}, err
	}
	token, err := uc.Tokens.Issue(RoleAdmin, Claims{Subject: e.ID, Version: e.TokenVersion, ShopID: e.ShopID})
	if err != nil {
		return LoginResult{}, fmt.Errorf("login: %w", err)
	}
	return LoginResult{Employee: e, Token: token}, nil
}
