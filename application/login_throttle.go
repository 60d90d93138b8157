package application

import (
	"errors"
	"fmt"
	"time"
)

// ErrTooManyAttempts is a login refused without checking the password, because failed logins
// for its username or from its client address are over the budget (ORDERALERT_LOGIN_RATE).
var ErrTooManyAttempts = errors.New("too many failed logins")

// ErrLoginBusy is a login refused because as many passwords as the server allows are being
// checked already; bcrypt is slow on purpose, and a flood of it must not starve alert delivery.
var ErrLoginBusy = errors.New("too many logins at once")

// RetryAfterError is a refusal that says when trying again can succeed.
type RetryAfterError struct {
	Err   error
	After time.Duration
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("%v: retry after %s", e.Err, e.After.Round(time.Second))
}

func (e *RetryAfterError) Unwrap() error { return e.Err }

// LoginAttempt is one login as the throttle counts it.
type LoginAttempt struct {
	Username string
	ClientIP string // the client's address as the HTTP adapter sees it (through a local proxy)
}

// LoginOutcome settles an admitted attempt.
type LoginOutcome int

// The outcomes. Only a failure is counted; an attempt that ended otherwise (a database error,
// a busy server) is given back, so that the budget measures guesses and nothing else.
const (
	LoginAbandoned LoginOutcome = iota
	LoginFailed
	LoginSucceeded
)

// LoginThrottle counts failed logins per username and per client address (DESIGN §9,
// ORDERALERT_LOGIN_RATE), so that passwords cannot be guessed at the speed of the server.
type LoginThrottle interface {
	// Admit is called before the password is checked. It reserves one failure of both budgets,
	// so that concurrent guesses cannot overspend them, and returns settle, which must be called
	// once with the outcome. When a budget is spent it returns a *RetryAfterError wrapping
	// ErrTooManyAttempts and no settle. A username's budget does not refuse a client address
	// that logged in as that user recently: an attacker elsewhere cannot lock the shop out.
	Admit(a LoginAttempt) (settle func(LoginOutcome), err error)
}
