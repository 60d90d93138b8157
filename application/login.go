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
	// DummyHash is compared against when the username is unknown, so that a wrong username
	// costs as much time as a wrong password and timing reveals no account names.
	DummyHash string
}

// LoginResult is the account and its admin token.
type LoginResult struct {
	Employee employee.Employee
	Token    Token
}

// Execute checks the credentials; unknown usernames and wrong passwords are the same
// employee.ErrBadCredentials, a disabled account employee.ErrLocked.
func (uc Login) Execute(ctx context.Context, username, password string) (LoginResult, error) {
	e, err := uc.Employees.ByUsername(ctx, username)
	if errors.Is(err, employee.ErrNotFound) {
		uc.Hasher.Matches(uc.DummyHash, password)
		return LoginResult{}, employee.ErrBadCredentials
	}
	if err != nil {
		return LoginResult{}, fmt.Errorf("login: %w", err)
	}
	if !uc.Hasher.Matches(e.PasswordHash, password) {
		return LoginResult{}, employee.ErrBadCredentials
	}
	if err := e.CanLogIn(); err != nil {
		return LoginResult{}, err
	}
	token, err := uc.Tokens.Issue(RoleAdmin, e.ID)
	if err != nil {
		return LoginResult{}, fmt.Errorf("login: %w", err)
	}
	return LoginResult{Employee: e, Token: token}, nil
}
