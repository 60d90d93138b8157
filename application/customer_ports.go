package application

import (
	"context"
	"errors"
	"time"

	"github.com/orderalert/orderalert/domain/customer"
)

// WeChatSessions exchanges a mini-program's wx.login code for the user's openid
// (jscode2session). Errors: ErrLoginCodeRefused (the code is invalid, used or blocked),
// ErrLoginThrottled (WeChat's frequency limit), ErrUnavailable (WeChat unreachable or busy),
// ErrNotImplemented (no credentials configured, in production).
type WeChatSessions interface {
	OpenID(ctx context.Context, code string) (string, error)
}

// CustomerRepository keeps the mini-program's users.
type CustomerRepository interface {
	// ByOpenID returns the customer of openid, created at now on its first login. Of racing
	// first logins, on any number of instances, all get the one customer created.
	ByOpenID(ctx context.Context, openid string, now time.Time) (customer.Customer, error)

	// ByID returns the customer with this id, or customer.ErrNotFound.
	ByID(ctx context.Context, id int64) (customer.Customer, error)
}

// Errors of a customer login; match them with errors.Is.
var (
	// ErrLoginCodeRefused: WeChat refused the code (invalid, already used).
	ErrLoginCodeRefused = errors.New("login code refused by WeChat")
	// ErrLoginCodeBlocked: WeChat blocked the login of a high-risk user (40226).
	ErrLoginCodeBlocked = errors.New("login blocked by WeChat")
	// ErrLoginThrottled: WeChat's frequency limit (45011); try again in a minute.
	ErrLoginThrottled = errors.New("WeChat login frequency limit")
)
